// Error codes of the alerts module: alerts, their status history and their photos.
import { defineErrors } from '../lib/errors.js';

export const alertsErrors = defineErrors({
  ALERT_NOT_FOUND: { status: 404, fr: 'Alerte introuvable.', en: 'Alert not found.' },
  ALERT_ON_DUTY_INVALID: {
    status: 400,
    fr: 'Seul un policier municipal de la commune, au compte actif, peut être de permanence.',
    en: 'Only a police officer of the commune with an active account can be on duty.',
  },
  ALERT_CATEGORY_UNKNOWN: {
    status: 400,
    fr: "Cette catégorie d'alerte n'existe pas dans votre commune.",
    en: 'This alert category does not exist in your commune.',
  },
  ALERT_TEXT_INVALID: {
    status: 400,
    fr: "Le texte de l'alerte doit compter de 1 à 1 000 caractères, sans caractère de contrôle.",
    en: "The alert's text must be 1 to 1,000 characters long, with no control character.",
  },
  ALERT_TARGET_INVALID: {
    status: 400,
    fr: "La cible de l'alerte est invalide.",
    en: "The alert's target is invalid.",
  },
  ALERT_AREA_INVALID: {
    status: 400,
    fr: "La zone dessinée est invalide : un contour fermé, qui ne se croise pas, d'au moins trois points.",
    en: 'The drawn zone is invalid: a closed outline that does not cross itself, with at least three points.',
  },
  ALERT_AREA_EMPTY: {
    status: 400,
    fr: 'La zone dessinée ne contient aucune adresse de la commune : agrandissez-la ou choisissez des secteurs.',
    en: 'The drawn zone contains no address of the commune: enlarge it or choose sectors.',
  },
  ALERT_NO_COMMUNITY: {
    status: 403,
    fr: "Votre adresse doit être validée pour donner l'alerte dans votre communauté. En cas de danger immédiat, appelez le 17.",
    en: 'Your address must be verified before you can alert your community. In immediate danger, call 17.',
  },
  ALERT_TRANSITION_INVALID: {
    status: 409,
    fr: "Ce changement de statut n'est pas possible.",
    en: 'This status change is not possible.',
  },
  ALERT_CLOSURE_REQUIRED: {
    status: 400,
    fr: 'Une alerte se clôture avec une issue (résolue ou infondée), et seulement à la clôture.',
    en: 'An alert is closed with an outcome (resolved or unfounded), and only when it is closed.',
  },
  ALERT_FOLLOW_UP_INVALID: {
    status: 409,
    fr: "Une suite se rattache à l'alerte d'origine, tant qu'elle n'est pas terminée.",
    en: 'A follow-up belongs to the original alert, while it has not ended.',
  },
  // photos
  ALERT_PHOTO_MISSING: {
    status: 400,
    fr: 'Joignez une photo (champ « file »).',
    en: 'Attach a photo (field "file").',
  },
  ALERT_PHOTO_TYPE_UNSUPPORTED: {
    status: 415,
    fr: 'Cette photo n’est pas acceptée : envoyez une image JPEG ou PNG.',
    en: 'This photo is not accepted: send a JPEG or PNG image.',
  },
  ALERT_PHOTO_TOO_LARGE: {
    status: 413,
    fr: 'La photo dépasse 10 Mo.',
    en: 'The photo is larger than 10 MB.',
  },
  ALERT_PHOTO_EMPTY: { status: 400, fr: 'La photo envoyée est vide.', en: 'The photo sent is empty.' },
  ALERT_PHOTO_UPLOAD_INCOMPLETE: {
    status: 400,
    fr: 'L’envoi de la photo a été interrompu. Réessayez.',
    en: "The photo's upload was interrupted. Try again.",
  },
  ALERT_PHOTO_DAMAGED: {
    status: 422,
    fr: 'Cette image est endommagée ou incomplète : elle ne peut pas être lue.',
    en: 'This image is damaged or incomplete: it cannot be read.',
  },
  ALERT_PHOTO_INVALID: {
    status: 400,
    fr: 'Cette photo est introuvable, ne vous appartient pas ou accompagne déjà une autre alerte. Envoyez-la de nouveau.',
    en: 'This photo cannot be found, is not yours or already belongs to another alert. Send it again.',
  },
  ALERT_PHOTO_NOT_FOUND: { status: 404, fr: 'Photo introuvable.', en: 'Photo not found.' },
  ALERT_PHOTO_LINK_INVALID: {
    status: 403,
    fr: 'Ce lien vers la photo est invalide ou a expiré. Rouvrez l’alerte.',
    en: 'This link to the photo is invalid or has expired. Reopen the alert.',
  },
} as const);

export const { fail } = alertsErrors;
