// Every error code of tranquillite-vacances, with its French and English
// messages. A refused declaration names the rule it breaks.
import { defineErrors } from '@vigie/platform/plugin';

export const tranquilliteErrors = defineErrors({
  TV_ABSENCE_NOT_FOUND: { status: 404, fr: 'Déclaration d’absence introuvable.', en: 'Absence not found.' },
  TV_DATES_INVALID: {
    status: 400,
    fr: 'Les dates sont invalides : le retour doit suivre le départ.',
    en: 'The dates are invalid: the return must come after the departure.',
  },
  TV_NOTICE_TOO_SHORT: {
    status: 400,
    fr: 'Le départ est trop proche : la commune demande un délai minimal avant le départ.',
    en: 'The departure is too soon: the commune asks for a minimum notice.',
  },
  TV_TOO_EARLY: {
    status: 400,
    fr: 'Le départ est trop lointain : la commune fixe un délai maximal avant le départ.',
    en: 'The departure is too far off: the commune sets how far ahead one may declare.',
  },
  TV_ABSENCE_TOO_LONG: {
    status: 400,
    fr: 'L’absence est trop longue : la commune fixe une durée maximale.',
    en: 'The absence is too long: the commune sets a longest absence.',
  },
  TV_SECONDARY_NOT_ALLOWED: {
    status: 400,
    fr: 'La commune ne surveille que les résidences principales.',
    en: 'The commune only watches main residences.',
  },
  TV_NO_RESIDENCE: {
    status: 400,
    fr: 'Votre adresse n’est pas encore vérifiée : faites-la valider avant de déclarer une absence.',
    en: 'Your address is not verified yet: have it checked before declaring an absence.',
  },
  TV_ADDRESS_NOT_YOURS: {
    status: 403,
    fr: 'Cette adresse n’est pas votre résidence vérifiée.',
    en: 'This address is not your verified residence.',
  },
  TV_ADDRESS_UNKNOWN: {
    status: 400,
    fr: 'Cette adresse n’est pas une adresse de la commune.',
    en: 'This address is not one of the commune’s.',
  },
  TV_ABSENCE_OVERLAP: {
    status: 409,
    fr: 'Une absence est déjà déclarée pour ce logement sur ces dates.',
    en: 'An absence is already declared for this home over these dates.',
  },
  TV_ABSENCE_CLOSED: {
    status: 409,
    fr: 'Cette absence est terminée, annulée ou refusée : elle ne peut plus changer.',
    en: 'This absence is over, cancelled or refused: it can no longer change.',
  },
  TV_ABSENCE_ALREADY_DECIDED: {
    status: 409,
    fr: 'Cette déclaration a déjà été validée ou refusée.',
    en: 'This declaration has already been validated or refused.',
  },
  TV_VISIT_REFUSED: {
    status: 409,
    fr: 'Passage refusé : le logement n’est pas sous surveillance à cette date (absence non validée, annulée ou terminée).',
    en: 'Visit refused: the home is not under watch at that time (absence not validated, cancelled or over).',
  },
  TV_NOT_A_RESIDENT: {
    status: 404,
    fr: 'Habitant introuvable dans la commune.',
    en: 'Resident not found in the commune.',
  },
});

export const { fail } = tranquilliteErrors;
