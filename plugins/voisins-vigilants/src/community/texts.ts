// What members, referents and the mairie are told about memberships and
// exclusions, French first with the English beside it. Reasons are quoted as
// the referent or the mairie wrote them.
import type { Wording } from '../context.js';

export const texts = {
  membershipRequested: (who: string, community: string): Wording => ({
    title: "Nouvelle demande d'adhésion",
    body: `${who} demande à rejoindre la communauté ${community}.`,
    en: { title: 'New request to join', body: `${who} would like to join the ${community} community.` },
  }),
  membershipApproved: (community: string): Wording => ({
    title: `Bienvenue dans la communauté ${community}`,
    body: 'Un référent a validé votre adhésion. Acceptez la charte de la communauté pour participer.',
    en: {
      title: `Welcome to the ${community} community`,
      body: 'A referent has approved your membership. Accept the community charter to take part.',
    },
  }),
  membershipRefused: (community: string, reason: string): Wording => ({
    title: "Demande d'adhésion refusée",
    body: `Un référent a refusé votre demande pour la communauté ${community}. Motif : ${reason}`,
    en: {
      title: 'Request to join declined',
      body: `A referent has declined your request to join the ${community} community. Reason: ${reason}`,
    },
  }),
  excluded: (community: string, reason: string): Wording => ({
    title: `Vous avez été exclu de la communauté ${community}`,
    body: `Motif : ${reason}. Vous pouvez contester cette décision auprès de la mairie depuis votre profil.`,
    en: {
      title: `You have been removed from the ${community} community`,
      body: `Reason: ${reason}. You can appeal to the town hall from your profile.`,
    },
  }),
  appealFiled: (): Wording => ({
    title: 'Recours contre une exclusion',
    body: 'Un habitant conteste son exclusion d’une communauté de voisins vigilants. Une décision de la mairie est attendue.',
    en: {
      title: 'Appeal against a removal',
      body: 'A resident is appealing their removal from a neighbourhood watch community. The town hall needs to decide.',
    },
  }),
  appealDecidedForResident: (decision: 'uphold' | 'reinstate', reason: string): Wording =>
    decision === 'uphold'
      ? {
          title: 'La mairie maintient votre exclusion',
          body: `Motif de la décision : ${reason}`,
          en: { title: 'The town hall has upheld your removal', body: `Reason for the decision: ${reason}` },
        }
      : {
          title: 'La mairie vous réintègre dans la communauté',
          body: `Motif de la décision : ${reason}`,
          en: {
            title: 'The town hall has restored you to the community',
            body: `Reason for the decision: ${reason}`,
          },
        },
  appealDecidedForReferents: (decision: 'uphold' | 'reinstate', reason: string): Wording =>
    decision === 'uphold'
      ? {
          title: 'Exclusion maintenue par la mairie',
          body: `Décision de la mairie sur un recours : ${reason}`,
          en: {
            title: 'Removal upheld by the town hall',
            body: `The town hall's decision on an appeal: ${reason}`,
          },
        }
      : {
          title: 'Membre réintégré par la mairie',
          body: `Décision de la mairie sur un recours : ${reason}`,
          en: {
            title: 'Member restored by the town hall',
            body: `The town hall's decision on an appeal: ${reason}`,
          },
        },
};
