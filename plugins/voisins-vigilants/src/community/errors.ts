import type { ErrorSpec } from '@vigie/platform/plugin';

export const communityErrors: Record<string, ErrorSpec> = {
  NOT_A_MEMBER: {
    status: 403,
    message:
      "Cette action est réservée aux membres de la communauté : faites d'abord vérifier votre adresse.",
  },
  COMMUNITY_NOT_FOUND: { status: 404, message: 'Communauté introuvable.' },
  ALREADY_MEMBER: { status: 409, message: 'Vous êtes déjà membre d’une communauté.' },
  MEMBERSHIP_REQUEST_PENDING: { status: 409, message: "Vous avez déjà une demande d'adhésion en attente." },
  MEMBERSHIP_REQUEST_NOT_FOUND: { status: 404, message: "Demande d'adhésion introuvable." },
  MEMBERSHIP_REQUEST_DECIDED: { status: 409, message: 'Cette demande a déjà été traitée.' },
  EXCLUDED_FROM_COMMUNITY: {
    status: 403,
    message:
      'Vous avez été exclu de cette communauté. Vous pouvez contester cette décision auprès de la mairie.',
  },
  MEMBER_NOT_FOUND: { status: 404, message: "Cette personne n'est pas membre de la communauté." },
  CANNOT_EXCLUDE_SELF: {
    status: 400,
    message: 'Vous ne pouvez pas vous exclure vous-même : quittez la communauté.',
  },
  CANNOT_EXCLUDE_REFERENT: {
    status: 403,
    message: 'Un référent ne peut pas exclure un autre référent : seule la mairie peut retirer un référent.',
  },
  EXCLUSION_NOT_FOUND: { status: 404, message: 'Exclusion introuvable.' },
  APPEAL_ALREADY_FILED: { status: 409, message: 'Un recours a déjà été déposé contre cette exclusion.' },
  APPEAL_NOT_FOUND: { status: 404, message: 'Recours introuvable.' },
  APPEAL_DECIDED: { status: 409, message: 'La mairie a déjà statué sur ce recours.' },
  REINSTATEMENT_IMPOSSIBLE: {
    status: 409,
    message:
      "La réintégration est impossible : l'habitant a une autre adresse en cours. Il peut faire vérifier son adresse.",
  },
};
