// Error codes of the residents module (proofs of address, verification, RGPD).
import { defineErrors } from '../lib/errors.js';

export const residentsErrors = defineErrors({
  PROOF_TYPE_UNSUPPORTED: {
    status: 415,
    fr: 'Ce document n’est pas accepté : envoyez un PDF, une image JPEG ou PNG.',
    en: 'This document is not accepted: send a PDF, a JPEG or a PNG image.',
  },
  PROOF_TOO_LARGE: {
    status: 413,
    fr: 'Le document dépasse 10 Mo.',
    en: 'The document is larger than 10 MB.',
  },
  PROOF_EMPTY: { status: 400, fr: 'Le document envoyé est vide.', en: 'The document sent is empty.' },
  PROOF_MISSING: {
    status: 400,
    fr: 'Joignez un justificatif de domicile (champ « file »).',
    en: 'Attach a proof of address (field "file").',
  },
  PROOF_UPLOAD_INCOMPLETE: {
    status: 400,
    fr: 'L’envoi du document a été interrompu. Réessayez.',
    en: "The document's upload was interrupted. Try again.",
  },
  PROOF_NOT_FOUND: {
    status: 404,
    fr: 'Ce document n’existe plus : il est supprimé dès que la demande est traitée.',
    en: 'This document no longer exists: it is deleted as soon as the request is decided.',
  },
  PROOF_LINK_INVALID: {
    status: 403,
    fr: 'Ce lien de consultation est invalide ou a expiré.',
    en: 'This viewing link is invalid or has expired.',
  },
  ADDRESS_REQUIRED: {
    status: 400,
    fr: 'Choisissez votre adresse dans la liste, ou saisissez-la si elle n’y figure pas.',
    en: 'Pick your address from the list, or type it in if it is not there.',
  },
  ADDRESS_NOT_FOUND: {
    status: 404,
    fr: 'Cette adresse ne fait pas partie de la commune.',
    en: 'This address is not part of the commune.',
  },
  VERIFICATION_ALREADY_PENDING: {
    status: 409,
    fr: 'Une demande de vérification est déjà en cours.',
    en: 'A verification request is already in progress.',
  },
  VERIFICATION_NOT_FOUND: {
    status: 404,
    fr: 'Aucune demande de vérification en cours.',
    en: 'No verification request in progress.',
  },
  ALREADY_RESIDENT_HERE: {
    status: 409,
    fr: 'Vous êtes déjà membre à cette adresse.',
    en: 'You are already a member at this address.',
  },
  ALREADY_DECIDED: {
    status: 409,
    fr: 'Cette demande a déjà été traitée.',
    en: 'This request has already been decided.',
  },
  REQUEST_EXPIRED: { status: 409, fr: 'Cette demande a expiré.', en: 'This request has expired.' },
  REQUEST_WITHDRAWN: {
    status: 409,
    fr: 'Cette demande a été retirée par le résident.',
    en: 'This request was withdrawn by the resident.',
  },
  REJECTION_REASON_REQUIRED: {
    status: 400,
    fr: 'Choisissez le motif du refus.',
    en: 'Choose the reason for the refusal.',
  },
  REJECTION_REASON_UNKNOWN: { status: 400, fr: 'Motif de refus inconnu.', en: 'Unknown refusal reason.' },
  DECISION_INVALID: { status: 400, fr: 'Décision invalide.', en: 'Invalid decision.' },
  SELF_REVIEW_FORBIDDEN: {
    status: 403,
    fr: 'Vous ne pouvez pas valider votre propre demande.',
    en: 'You cannot approve your own request.',
  },
  NOT_REQUESTER: {
    status: 403,
    fr: 'Seul le résident peut retirer sa demande.',
    en: 'Only the resident can withdraw their request.',
  },
  WORKFLOWS_UNAVAILABLE: {
    status: 503,
    fr: 'Le service de vérification est momentanément indisponible. Réessayez dans quelques minutes.',
    en: 'The verification service is temporarily unavailable. Try again in a few minutes.',
  },
  COUNTER_PHONE_REQUIRED: {
    status: 400,
    fr: 'Indiquez un téléphone mobile (alertes par SMS) ou un téléphone fixe (alertes par appel vocal).',
    en: 'Give a mobile phone (alerts by SMS) or a landline (alerts by voice call).',
  },
  COUNTER_PHONE_TAKEN: {
    status: 409,
    fr: 'Ce numéro de téléphone est déjà celui d’un compte de la commune.',
    en: 'This phone number already belongs to an account of the commune.',
  },
  COUNTER_PROOF_KIND_UNKNOWN: {
    status: 400,
    fr: 'Choisissez le justificatif de domicile présenté dans la liste.',
    en: 'Choose the proof of address shown from the list.',
  },
  COUNTER_ADDRESS_NO_SECTOR: {
    status: 409,
    fr: 'Cette adresse n’est dans aucun secteur de la commune : rattachez-la à un secteur d’abord.',
    en: 'This address is in none of the commune’s sectors: attach it to a sector first.',
  },
  COUNTER_ALREADY_REGISTERED: {
    status: 409,
    fr: 'Une personne de ce nom est déjà inscrite à cette adresse.',
    en: 'A person of this name is already registered at this address.',
  },
  RESIDENT_SETTINGS_INVALID: {
    status: 400,
    fr: 'Les réglages de vérification ou de conservation des données sont invalides.',
    en: 'The verification or data retention settings are invalid.',
  },
} as const);

export const { fail } = residentsErrors;
