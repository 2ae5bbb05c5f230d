// Every error code of mairie-vigilante, declared once: `fail` accepts only
// these codes and the platform's generic ones.
import { defineErrors } from '@vigie/platform/plugin';

export const mairieErrors = defineErrors({
  CONSOLE_ALERT_NOT_FOUND: {
    status: 404,
    fr: 'Alerte introuvable dans cette commune.',
    en: 'Alert not found in this commune.',
  },
  CONSOLE_AGENT_INVALID: {
    status: 400,
    fr: "Cette personne n'est pas un agent de la police municipale de la commune.",
    en: 'This person is not an officer of the commune’s police municipale.',
  },
  CONSOLE_NOTE_INVALID: {
    status: 400,
    fr: 'La note doit compter de 1 à 2 000 caractères.',
    en: 'The note must be 1 to 2,000 characters long.',
  },
  CONSOLE_ALERT_CLOSED: {
    status: 409,
    fr: 'Cette alerte est close : elle ne peut plus être attribuée.',
    en: 'This alert is closed: it can no longer be assigned.',
  },
  CONSOLE_CATEGORY_UNKNOWN: {
    status: 400,
    fr: 'Cette catégorie d’alerte n’existe pas dans la commune.',
    en: 'This alert category does not exist in the commune.',
  },
  STATISTICS_YEAR_INVALID: {
    status: 400,
    fr: 'Année invalide : choisissez une année entre 2020 et l’année en cours.',
    en: 'Invalid year: choose a year between 2020 and the current one.',
  },
} as const);

export const { fail } = mairieErrors;
