// Who may do what in the console, as data. Reading and acting on the alerts
// themselves stays the core's (alerts.alert.read_all, alerts.alert.triage):
// these are what the console adds on top.
import type { PermissionDef } from '@vigie/platform/plugin';

export const P = {
  console: 'mairie-vigilante.console.read',
  assign: 'mairie-vigilante.alert.assign',
  note: 'mairie-vigilante.alert.note',
  statistics: 'mairie-vigilante.statistics.read',
  templates: 'mairie-vigilante.template.manage',
  counter: 'mairie-vigilante.counter.register',
} as const;

export const permissions: PermissionDef[] = [
  {
    name: P.console,
    description:
      'Ouvrir la console en direct de la mairie et de la police municipale (carte et fil des alertes)',
    roles: ['police_agent', 'police_chief', 'mairie_admin'],
  },
  {
    name: P.assign,
    description: 'Attribuer une alerte à un agent de la police municipale',
    roles: ['police_agent', 'police_chief'],
  },
  {
    name: P.note,
    description: 'Ajouter une note de suivi à une alerte (visible du personnel seulement)',
    roles: ['police_agent', 'police_chief'],
  },
  {
    name: P.statistics,
    description: 'Voir les statistiques et produire le rapport annuel (chiffres seulement)',
    roles: ['police_chief', 'mairie_admin'],
  },
  {
    name: P.templates,
    description: 'Modifier les modèles de message des alertes, par catégorie',
    roles: ['police_chief', 'mairie_admin'],
  },
  {
    name: P.counter,
    description:
      'Inscrire au guichet un résident sans internet (justificatif vu sur papier, jamais conservé ; alertes par SMS ou appel)',
    roles: ['mairie_admin', 'police_chief'],
  },
];
