// Error codes of the residents module (proofs of address, verification, RGPD).
import type { ErrorSpec } from '../server/errors.js';

export const RESIDENTS_ERRORS = {
  PROOF_TYPE_UNSUPPORTED: {
    status: 415,
    message: 'Ce document n’est pas accepté : envoyez un PDF, une image JPEG ou PNG.',
  },
  PROOF_TOO_LARGE: { status: 413, message: 'Le document dépasse 10 Mo.' },
  PROOF_EMPTY: { status: 400, message: 'Le document envoyé est vide.' },
  PROOF_MISSING: { status: 400, message: 'Joignez un justificatif de domicile (champ « file »).' },
  PROOF_UPLOAD_INCOMPLETE: { status: 400, message: 'L’envoi du document a été interrompu. Réessayez.' },
  PROOF_NOT_FOUND: {
    status: 404,
    message: 'Ce document n’existe plus : il est supprimé dès que la demande est traitée.',
  },
  PROOF_LINK_INVALID: { status: 403, message: 'Ce lien de consultation est invalide ou a expiré.' },
  ADDRESS_REQUIRED: {
    status: 400,
    message: 'Choisissez votre adresse dans la liste, ou saisissez-la si elle n’y figure pas.',
  },
  ADDRESS_NOT_FOUND: { status: 404, message: 'Cette adresse ne fait pas partie de la commune.' },
  VERIFICATION_ALREADY_PENDING: { status: 409, message: 'Une demande de vérification est déjà en cours.' },
  VERIFICATION_NOT_FOUND: { status: 404, message: 'Aucune demande de vérification en cours.' },
  ALREADY_RESIDENT_HERE: { status: 409, message: 'Vous êtes déjà membre à cette adresse.' },
  ALREADY_DECIDED: { status: 409, message: 'Cette demande a déjà été traitée.' },
  REQUEST_EXPIRED: { status: 409, message: 'Cette demande a expiré.' },
  REQUEST_WITHDRAWN: { status: 409, message: 'Cette demande a été retirée par le résident.' },
  REJECTION_REASON_REQUIRED: { status: 400, message: 'Choisissez le motif du refus.' },
  REJECTION_REASON_UNKNOWN: { status: 400, message: 'Motif de refus inconnu.' },
  DECISION_INVALID: { status: 400, message: 'Décision invalide.' },
  SELF_REVIEW_FORBIDDEN: { status: 403, message: 'Vous ne pouvez pas valider votre propre demande.' },
  NOT_REQUESTER: { status: 403, message: 'Seul le résident peut retirer sa demande.' },
  WORKFLOWS_UNAVAILABLE: {
    status: 503,
    message: 'Le service de vérification est momentanément indisponible. Réessayez dans quelques minutes.',
  },
  RESIDENT_SETTINGS_INVALID: {
    status: 400,
    message: 'Les réglages de vérification ou de conservation des données sont invalides.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ResidentsErrorCode = keyof typeof RESIDENTS_ERRORS;
