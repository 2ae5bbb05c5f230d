// Error codes of the referents slice. The workflow's ApplicationFailure types
// (REFERENT_FAILURES in the contract) have the same names, so a refusal by the
// Update's validator reaches the client under a stable code.
import type { ErrorSpec } from '@vigie/platform/plugin';
import { REFERENT_FAILURES } from '@vigie/workflows/contracts';

export const REFERENT_ERRORS = {
  [REFERENT_FAILURES.collecting]: {
    status: 409,
    message: "L'appel à candidatures est encore ouvert : le choix des référents se fera à sa clôture.",
  },
  [REFERENT_FAILURES.tooMany]: { status: 409, message: 'Une communauté a au plus deux référents.' },
  [REFERENT_FAILURES.notCandidate]: {
    status: 409,
    message: "Cette personne n'est pas candidate dans ce tour de désignation.",
  },
  [REFERENT_FAILURES.alreadyReferent]: {
    status: 409,
    message: 'Cette personne est déjà référente de la communauté.',
  },
  [REFERENT_FAILURES.invalidChoice]: { status: 400, message: 'Choisissez un ou deux candidats différents.' },
  [REFERENT_FAILURES.ineligible]: {
    status: 409,
    message: "Cette candidature n'est plus valable (retirée, ou la personne a quitté la communauté).",
  },
  REFERENT_ROUND_NOT_FOUND: {
    status: 404,
    message: "Aucun tour de désignation des référents n'est ouvert pour cette communauté.",
  },
  REFERENT_ROUND_ALREADY_OPEN: {
    status: 409,
    message: 'Un tour de désignation des référents est déjà en cours pour cette communauté.',
  },
  REFERENT_SEATS_FILLED: { status: 409, message: 'Cette communauté a déjà ses deux référents.' },
  NOT_A_REFERENT: { status: 409, message: "Cette personne n'est pas référente de cette communauté." },
  SUPPORT_REQUEST_NOT_FOUND: { status: 404, message: 'Cette demande est introuvable.' },
  SUPPORT_REQUEST_CLOSED: { status: 409, message: 'Cette demande est close.' },
  SUPPORT_TEXT_INVALID: {
    status: 400,
    message: "L'objet doit faire de 1 à 120 caractères et le message de 1 à 2 000.",
  },
  BOUNDARY_GEOMETRY_INVALID: { status: 400, message: "Le tracé n'est pas un GeoJSON lisible." },
  REFERENT_WORKFLOW_UNAVAILABLE: {
    status: 503,
    message: 'La désignation des référents est momentanément indisponible. Réessayez dans quelques minutes.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ReferentErrorCode = keyof typeof REFERENT_ERRORS;

export function isReferentErrorCode(code: string): code is ReferentErrorCode {
  return Object.hasOwn(REFERENT_ERRORS, code);
}
