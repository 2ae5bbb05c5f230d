// The calls module's codes: a request a plugin made with a bad message, key or
// context. A bad number is the notifications module's VOICE_NUMBER_INVALID,
// the code every voice number gets.
import { defineErrors } from '../lib/errors.js';

export const callsErrors = defineErrors({
  PHONE_CALL_INVALID: {
    status: 400,
    fr: 'Appel refusé : le message, le texte à dire ou la référence de l’appel sont invalides.',
    en: 'Call refused: its message, one of its sentences or its reference is invalid.',
  },
} as const);

export const { fail } = callsErrors;
