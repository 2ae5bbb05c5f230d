// The calls module's codes: a request a plugin made with a bad message, key or
// context, or a text (a call by SMS) to a number that is not a mobile. A bad
// voice number is the notifications module's VOICE_NUMBER_INVALID,
// the code every voice number gets.
import { defineErrors } from '../lib/errors.js';

export const callsErrors = defineErrors({
  PHONE_CALL_INVALID: {
    status: 400,
    fr: 'Appel refusé : le message, le texte à dire ou la référence de l’appel sont invalides.',
    en: 'Call refused: its message, one of its sentences or its reference is invalid.',
  },
  PHONE_CALL_RATE_LIMITED: {
    status: 429,
    fr: 'Appel différé : la commune a atteint son nombre d’appels automatiques par heure (alerts.phoneCallsPerHour) ; il partira à son tour.',
    en: 'Call deferred: the commune has reached its automatic calls per hour (alerts.phoneCallsPerHour); it will go out in turn.',
  },
  PHONE_CALL_NOT_MOBILE: {
    status: 400,
    fr: 'SMS refusé : ce numéro n’est pas un mobile (06 ou 07, ou un numéro international en +…).',
    en: 'Text refused: this number is not a mobile (06 or 07, or an international number in +…).',
  },
} as const);

export const { fail } = callsErrors;
