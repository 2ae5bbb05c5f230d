// Permissions of the referents slice, as data. Referent permissions are held
// through a role scoped to one community: resolvers check them with
// ctx.authorize(name, { communityId }).
import type { PermissionDef } from '@vigie/platform/plugin';

export const P = {
  candidacy: 'voisins-vigilants.candidacy.submit',
  roundRead: 'voisins-vigilants.referent.read',
  roundOpen: 'voisins-vigilants.referent.open_round',
  choose: 'voisins-vigilants.referent.choose',
  remove: 'voisins-vigilants.referent.remove',
  flags: 'voisins-vigilants.referent.flags',
  stepDown: 'voisins-vigilants.referent.step_down',
  boundary: 'voisins-vigilants.boundary.redraw',
  supportSend: 'voisins-vigilants.support.send',
  supportAnswer: 'voisins-vigilants.support.answer',
} as const;

export const referentPermissions: PermissionDef[] = [
  {
    name: P.candidacy,
    description: 'Se porter candidat(e) pour devenir référent(e) de sa communauté',
    roles: ['resident'],
  },
  {
    name: P.roundRead,
    description: 'Voir les tours de désignation des référents et leurs candidats',
    roles: ['police_agent', 'police_chief', 'mairie_admin'],
  },
  {
    name: P.roundOpen,
    description: 'Ouvrir un tour de désignation des référents',
    roles: ['police_chief', 'mairie_admin'],
  },
  {
    name: P.choose,
    description: 'Choisir les référents parmi les candidats',
    roles: ['police_agent', 'police_chief'],
  },
  {
    name: P.remove,
    description: 'Retirer son rôle à un(e) référent(e)',
    roles: ['police_chief', 'mairie_admin'],
  },
  { name: P.flags, description: 'Voir les communautés sans référent', roles: ['mairie_admin'] },
  { name: P.stepDown, description: 'Quitter son rôle de référent(e)', roles: ['referent'] },
  { name: P.boundary, description: 'Redessiner le périmètre de sa communauté', roles: ['referent'] },
  { name: P.supportSend, description: 'Écrire aux référents de sa communauté', roles: ['resident'] },
  {
    name: P.supportAnswer,
    description: 'Répondre aux demandes des membres de sa communauté',
    roles: ['referent'],
  },
];
