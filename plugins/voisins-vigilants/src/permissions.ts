// Who may do what, as data. Referent grants are scoped to one community: the
// resolvers pass `{ communityId }` to ctx.authorize, so a referent of one
// community holds nothing in another. Residents' grants are unscoped; being a
// member of the right community is checked next to the data (membership.ts).
import type { PermissionDef } from '@vigie/platform/plugin';

const RESIDENTS = ['resident', 'referent'];
const STAFF_VIEW = ['police_agent', 'police_chief', 'mairie_admin'];

export const permissions: PermissionDef[] = [
  {
    name: 'voisins-vigilants.community.read',
    description: 'Voir sa communauté : membres (noms affichés), référents, discussions, événements',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.community.read_any',
    description: 'Voir toutes les communautés de la commune et leur vie (sans les messages privés)',
    roles: STAFF_VIEW,
  },
  {
    name: 'voisins-vigilants.membership.request',
    description: "Demander à rejoindre une communauté quand son adresse n'est pas dans la base adresse",
    roles: ['resident'],
  },
  {
    name: 'voisins-vigilants.membership.validate',
    description: "Valider ou refuser les demandes d'adhésion de sa communauté",
    roles: ['referent'],
  },
  {
    name: 'voisins-vigilants.membership.exclude',
    description: 'Exclure un membre de sa communauté, avec un motif',
    roles: ['referent'],
  },
  {
    name: 'voisins-vigilants.exclusion.appeal',
    description: 'Contester son exclusion auprès de la mairie',
    roles: ['resident'],
  },
  {
    name: 'voisins-vigilants.exclusion.appeal_decide',
    description: 'Statuer sur les recours contre les exclusions (maintien ou réintégration)',
    roles: ['mairie_admin'],
  },
  {
    name: 'voisins-vigilants.charter.accept',
    description: 'Accepter la charte de la communauté',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.post.create',
    description: 'Publier une discussion ou un commentaire dans sa communauté',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.event.create',
    description: 'Organiser un événement dans sa communauté et y répondre',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.message.send',
    description: 'Écrire en privé aux membres de sa communauté',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.content.report',
    description: 'Signaler une publication, un commentaire ou un message',
    roles: RESIDENTS,
  },
  {
    name: 'voisins-vigilants.content.hide',
    description: 'Masquer ou rétablir un contenu de sa communauté, avec un motif',
    roles: ['referent'],
  },
  {
    name: 'voisins-vigilants.report.review',
    description: 'Voir la file de modération de sa communauté',
    roles: ['referent'],
  },
  {
    name: 'voisins-vigilants.moderation.read_log',
    description: 'Lire le journal de modération de toutes les communautés',
    roles: ['mairie_admin'],
  },
  {
    name: 'voisins-vigilants.referent_activity.read',
    description: 'Voir les actions des référents de la communauté',
    roles: ['referent', 'mairie_admin'],
  },
];
