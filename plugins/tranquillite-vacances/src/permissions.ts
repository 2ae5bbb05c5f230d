// Who may do what, as data. A declaration says when a home is empty: only the
// resident, the police and the mairie agents holding the permission see it,
// never neighbours or referents.
import type { PermissionDef } from '@vigie/platform/plugin';

export const permissions: PermissionDef[] = [
  {
    name: 'tranquillite-vacances.absence.declare',
    description: 'Déclarer ses absences, en changer les dates, les annuler',
    roles: ['resident', 'referent'],
  },
  {
    name: 'tranquillite-vacances.absence.declare_for',
    description: "Déclarer une absence au guichet pour le compte d'un habitant",
    roles: ['mairie_admin'],
  },
  {
    name: 'tranquillite-vacances.absence.read_any',
    description: 'Voir les déclarations d’absence de la commune (chaque consultation est journalisée)',
    roles: ['police_agent', 'police_chief', 'mairie_admin'],
  },
  {
    name: 'tranquillite-vacances.absence.validate',
    description: 'Valider ou refuser une déclaration d’absence',
    roles: ['police_agent', 'police_chief'],
  },
  {
    name: 'tranquillite-vacances.visit.log',
    description: 'Consulter la tournée du jour et enregistrer un passage',
    roles: ['police_agent', 'police_chief'],
  },
];
