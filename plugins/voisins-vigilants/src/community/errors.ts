import type { ErrorSpec } from '@vigie/platform/plugin';

export const COMMUNITY_ERRORS = {
  NOT_A_MEMBER: {
    status: 403,
    fr: "Cette action est réservée aux membres de la communauté : faites d'abord vérifier votre adresse.",
    en: 'This is for members of the community: have your address verified first.',
  },
  COMMUNITY_NOT_FOUND: { status: 404, fr: 'Communauté introuvable.', en: 'Community not found.' },
  ALREADY_MEMBER: {
    status: 409,
    fr: 'Vous êtes déjà membre d’une communauté.',
    en: 'You are already a member of a community.',
  },
  MEMBERSHIP_REQUEST_PENDING: {
    status: 409,
    fr: "Vous avez déjà une demande d'adhésion en attente.",
    en: 'You already have a pending membership request.',
  },
  MEMBERSHIP_REQUEST_NOT_FOUND: {
    status: 404,
    fr: "Demande d'adhésion introuvable.",
    en: 'Membership request not found.',
  },
  MEMBERSHIP_REQUEST_DECIDED: {
    status: 409,
    fr: 'Cette demande a déjà été traitée.',
    en: 'This request has already been decided.',
  },
  EXCLUDED_FROM_COMMUNITY: {
    status: 403,
    fr: 'Vous avez été exclu de cette communauté. Vous pouvez contester cette décision auprès de la mairie.',
    en: 'You have been excluded from this community. You can appeal this decision to the mairie.',
  },
  MEMBER_NOT_FOUND: {
    status: 404,
    fr: "Cette personne n'est pas membre de la communauté.",
    en: 'This person is not a member of the community.',
  },
  CANNOT_EXCLUDE_SELF: {
    status: 400,
    fr: 'Vous ne pouvez pas vous exclure vous-même : quittez la communauté.',
    en: 'You cannot exclude yourself: leave the community instead.',
  },
  CANNOT_EXCLUDE_REFERENT: {
    status: 403,
    fr: 'Un référent ne peut pas exclure un autre référent : seule la mairie peut retirer un référent.',
    en: 'A referent cannot exclude another referent: only the mairie can remove a referent.',
  },
  EXCLUSION_NOT_FOUND: { status: 404, fr: 'Exclusion introuvable.', en: 'Exclusion not found.' },
  APPEAL_ALREADY_FILED: {
    status: 409,
    fr: 'Un recours a déjà été déposé contre cette exclusion.',
    en: 'An appeal has already been filed against this exclusion.',
  },
  APPEAL_NOT_FOUND: { status: 404, fr: 'Recours introuvable.', en: 'Appeal not found.' },
  APPEAL_DECIDED: {
    status: 409,
    fr: 'La mairie a déjà statué sur ce recours.',
    en: 'The mairie has already decided on this appeal.',
  },
  REINSTATEMENT_IMPOSSIBLE: {
    status: 409,
    fr: "La réintégration est impossible : l'habitant a une autre adresse en cours. Il peut faire vérifier son adresse.",
    en: 'Reinstatement is impossible: the resident has another address in progress. They can have their address verified.',
  },
} as const satisfies Record<string, ErrorSpec>;
