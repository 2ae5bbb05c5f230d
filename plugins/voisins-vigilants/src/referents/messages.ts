// What people are told about referents, in French (the portal's language).
// Notifications carry no address or phone number: display names and community
// names only.

export interface Text {
  kind: string;
  title: string;
  body: string;
  link: string;
}

const K = 'voisins-vigilants.referent';

export const texts = {
  roundReady: (community: string, candidates: number, communityId: string): Text => ({
    kind: `${K}.round_ready`,
    title: `Référents à choisir : ${community}`,
    body: `L'appel à candidatures est clos : ${candidates} candidature(s). Choisissez jusqu'à deux référents.`,
    link: `/police/referents/${communityId}`,
  }),
  roundReminder: (community: string, candidates: number, communityId: string): Text => ({
    kind: `${K}.round_reminder`,
    title: `Rappel : référents à choisir pour ${community}`,
    body: `${candidates} candidature(s) attendent votre choix.`,
    link: `/police/referents/${communityId}`,
  }),
  chosen: (community: string): Text => ({
    kind: `${K}.chosen`,
    title: 'Vous êtes référent(e) de votre communauté',
    body: `La police municipale vous a choisi(e) comme référent(e) de ${community}. Merci de votre engagement.`,
    link: '/communaute/referent',
  }),
  notChosen: (community: string): Text => ({
    kind: `${K}.not_chosen`,
    title: 'Désignation des référents',
    body: `Les référents de ${community} ont été choisis et votre candidature n'a pas été retenue cette fois. Elle reste enregistrée pour un prochain tour ; vous pouvez la retirer depuis votre profil.`,
    link: '/profil',
  }),
  removed: (community: string): Text => ({
    kind: `${K}.removed`,
    title: 'Fin de votre rôle de référent(e)',
    body: `Votre rôle de référent(e) de ${community} a pris fin.`,
    link: '/profil',
  }),
  withoutReferent: (community: string, communityId: string): Text => ({
    kind: `${K}.community_without_referent`,
    title: `${community} n'a plus de référent`,
    body: `Le dernier référent de ${community} est parti. Un nouveau tour de désignation est ouvert.`,
    link: `/mairie/communautes/${communityId}`,
  }),
  supportRequest: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.request',
    title: 'Nouvelle demande d’un membre',
    body: subject,
    link: `/communaute/referent/demandes/${requestId}`,
  }),
  supportFollowUp: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.follow_up',
    title: 'Nouveau message sur une demande',
    body: subject,
    link: `/communaute/referent/demandes/${requestId}`,
  }),
  supportAnswered: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.answered',
    title: 'Vos référents vous ont répondu',
    body: subject,
    link: `/communaute/demandes/${requestId}`,
  }),
};
