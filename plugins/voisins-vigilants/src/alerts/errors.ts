// Error codes of the alerts slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const NEIGHBOUR_ALERT_ERRORS = {
  NEIGHBOUR_ALERT_RATE_LIMITED: {
    status: 429,
    fr: "Vous avez atteint le nombre d'alertes permis par heure. En cas de danger immédiat, appelez le 17.",
    en: 'You have reached the number of alerts allowed per hour. In immediate danger, call 17.',
  },
  NEIGHBOUR_ALERT_CALL_17_REQUIRED: {
    status: 400,
    fr: 'Alerte urgente : confirmez que vous avez appelé ou allez appeler le 17.',
    en: 'Urgent alert: confirm that you have called or will call 17.',
  },
  NEIGHBOUR_ALERT_NOT_FOUND: {
    status: 404,
    fr: 'Alerte introuvable dans votre communauté.',
    en: 'Alert not found in your community.',
  },
  NEIGHBOUR_ALERT_OWN: {
    status: 409,
    fr: 'Vous ne pouvez pas répondre à votre propre alerte.',
    en: 'You cannot respond to your own alert.',
  },
  NEIGHBOUR_ALERT_CLOSED: { status: 409, fr: 'Cette alerte est close.', en: 'This alert is closed.' },
} as const satisfies Record<string, ErrorSpec>;
