// What people are told about referents, French first with the English beside
// it. Notifications carry no address or phone number: display names and
// community names only.

export interface Text {
  kind: string;
  title: string;
  body: string;
  en: { title: string; body: string };
  link: string;
}

const K = 'voisins-vigilants.referent';

/** A community whose name could not be read (deleted meanwhile) is named generically. */
type Name = string | null;
const fr = (community: Name, generic = 'la communauté') => community ?? generic;
const en = (community: Name, generic = 'the community') => community ?? generic;

export const texts = {
  roundReady: (community: Name, candidates: number, communityId: string): Text => ({
    kind: `${K}.round_ready`,
    title: `Référents à choisir : ${fr(community)}`,
    body: `L'appel à candidatures est clos : ${candidates} candidature(s). Choisissez jusqu'à deux référents.`,
    en: {
      title: `Referents to choose: ${en(community)}`,
      body: `The call for candidates has closed with ${candidates} candidate(s). Choose up to two referents.`,
    },
    link: `/police/referents/${communityId}`,
  }),
  roundReminder: (community: Name, candidates: number, communityId: string): Text => ({
    kind: `${K}.round_reminder`,
    title: `Rappel : référents à choisir pour ${fr(community)}`,
    body: `${candidates} candidature(s) attendent votre choix.`,
    en: {
      title: `Reminder: referents to choose for ${en(community)}`,
      body: `${candidates} candidate(s) are waiting for your decision.`,
    },
    link: `/police/referents/${communityId}`,
  }),
  chosen: (community: Name): Text => ({
    kind: `${K}.chosen`,
    title: 'Vous êtes référent(e) de votre communauté',
    body: `La police municipale vous a choisi(e) comme référent(e) de ${fr(community)}. Merci de votre engagement.`,
    en: {
      title: 'You are now a referent of your community',
      body: `The police municipale has chosen you as a referent of ${en(community)}. Thank you for stepping up.`,
    },
    link: '/communaute/referent',
  }),
  notChosen: (community: Name): Text => ({
    kind: `${K}.not_chosen`,
    title: 'Désignation des référents',
    body: `Les référents de ${fr(community)} ont été choisis et votre candidature n'a pas été retenue cette fois. Elle reste enregistrée pour un prochain tour ; vous pouvez la retirer depuis votre profil.`,
    en: {
      title: 'Referents chosen',
      body: `The referents of ${en(community)} have been chosen, and your candidacy was not selected this time. It stays on file for the next round; you can withdraw it from your profile.`,
    },
    link: '/profil',
  }),
  removed: (community: Name): Text => ({
    kind: `${K}.removed`,
    title: 'Fin de votre rôle de référent(e)',
    body: `Votre rôle de référent(e) de ${fr(community, 'votre communauté')} a pris fin.`,
    en: {
      title: 'Your referent role has ended',
      body: `You are no longer a referent of ${en(community, 'your community')}.`,
    },
    link: '/profil',
  }),
  withoutReferent: (community: Name, communityId: string): Text => ({
    kind: `${K}.community_without_referent`,
    title: `${fr(community)} n'a plus de référent`,
    body: `Le dernier référent de ${fr(community)} est parti. Un nouveau tour de désignation est ouvert.`,
    en: {
      title: `${en(community, 'A community')} has no referent left`,
      body: `The last referent of ${en(community)} has left. A new round to choose referents is open.`,
    },
    link: `/mairie/communautes/${communityId}`,
  }),
  supportRequest: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.request',
    title: 'Nouvelle demande d’un membre',
    body: subject,
    en: { title: 'New request from a member', body: subject },
    link: `/communaute/referent/demandes/${requestId}`,
  }),
  supportFollowUp: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.follow_up',
    title: 'Nouveau message sur une demande',
    body: subject,
    en: { title: 'New message on a request', body: subject },
    link: `/communaute/referent/demandes/${requestId}`,
  }),
  supportAnswered: (subject: string, requestId: string): Text => ({
    kind: 'voisins-vigilants.support.answered',
    title: 'Vos référents vous ont répondu',
    body: subject,
    en: { title: 'Your referents have replied', body: subject },
    link: `/communaute/demandes/${requestId}`,
  }),
};
