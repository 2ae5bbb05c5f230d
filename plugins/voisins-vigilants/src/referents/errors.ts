// Error codes of the referents slice. The workflow's ApplicationFailure types
// (REFERENT_FAILURES in the contract) have the same names, so a refusal by the
// Update's validator reaches the client under a stable code.
import type { ErrorSpec } from '@vigie/platform/plugin';
import { REFERENT_FAILURES } from '../workflows/contracts.js';

export const REFERENT_ERRORS = {
  [REFERENT_FAILURES.collecting]: {
    status: 409,
    fr: "L'appel à candidatures est encore ouvert : le choix des référents se fera à sa clôture.",
    en: 'The call for candidates is still open: referents will be chosen when it closes.',
  },
  [REFERENT_FAILURES.tooMany]: {
    status: 409,
    fr: 'Une communauté a au plus deux référents.',
    en: 'A community has at most two referents.',
  },
  [REFERENT_FAILURES.notCandidate]: {
    status: 409,
    fr: "Cette personne n'est pas candidate dans ce tour de désignation.",
    en: 'This person is not a candidate in this selection round.',
  },
  [REFERENT_FAILURES.alreadyReferent]: {
    status: 409,
    fr: 'Cette personne est déjà référente de la communauté.',
    en: 'This person is already a referent of the community.',
  },
  [REFERENT_FAILURES.invalidChoice]: {
    status: 400,
    fr: 'Choisissez un ou deux candidats différents.',
    en: 'Choose one or two different candidates.',
  },
  [REFERENT_FAILURES.ineligible]: {
    status: 409,
    fr: "Cette candidature n'est plus valable (retirée, ou la personne a quitté la communauté).",
    en: 'This candidacy is no longer valid (withdrawn, or the person left the community).',
  },
  REFERENT_ROUND_NOT_FOUND: {
    status: 404,
    fr: "Aucun tour de désignation des référents n'est ouvert pour cette communauté.",
    en: 'No referent selection round is open for this community.',
  },
  REFERENT_ROUND_ALREADY_OPEN: {
    status: 409,
    fr: 'Un tour de désignation des référents est déjà en cours pour cette communauté.',
    en: 'A referent selection round is already in progress for this community.',
  },
  REFERENT_SEATS_FILLED: {
    status: 409,
    fr: 'Cette communauté a déjà ses deux référents.',
    en: 'This community already has its two referents.',
  },
  NOT_A_REFERENT: {
    status: 409,
    fr: "Cette personne n'est pas référente de cette communauté.",
    en: 'This person is not a referent of this community.',
  },
  SUPPORT_REQUEST_NOT_FOUND: {
    status: 404,
    fr: 'Cette demande est introuvable.',
    en: 'This request cannot be found.',
  },
  SUPPORT_REQUEST_CLOSED: { status: 409, fr: 'Cette demande est close.', en: 'This request is closed.' },
  SUPPORT_TEXT_INVALID: {
    status: 400,
    fr: "L'objet doit faire de 1 à 120 caractères et le message de 1 à 2 000.",
    en: 'The subject must be 1 to 120 characters long and the message 1 to 2,000.',
  },
  BOUNDARY_GEOMETRY_INVALID: {
    status: 400,
    fr: "Le tracé n'est pas un GeoJSON lisible.",
    en: 'The outline is not readable GeoJSON.',
  },
  REFERENT_WORKFLOW_UNAVAILABLE: {
    status: 503,
    fr: 'La désignation des référents est momentanément indisponible. Réessayez dans quelques minutes.',
    en: 'Referent selection is temporarily unavailable. Try again in a few minutes.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ReferentErrorCode = keyof typeof REFERENT_ERRORS;

export function isReferentErrorCode(code: string): code is ReferentErrorCode {
  return Object.hasOwn(REFERENT_ERRORS, code);
}
