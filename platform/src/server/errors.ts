// The one catalogue of error codes. A code is a stable contract with clients
// (the UI, the mobile app, a mairie's integration): never rename one, add new ones.
// 4xx errors show their message to the caller; 5xx errors are logged and hidden.

export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export const ERRORS = {
  // generic
  VALIDATION_FAILED: { status: 400, message: 'La requête est invalide.' },
  BAD_REQUEST: { status: 400, message: 'La requête est invalide.' },
  UNAUTHENTICATED: { status: 401, message: 'Vous devez être connecté.' },
  FORBIDDEN: { status: 403, message: "Vous n'avez pas la permission de faire cela." },
  NOT_FOUND: { status: 404, message: 'Ressource introuvable.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'Cette adresse ne correspond à aucune route.' },
  CONFLICT: { status: 409, message: 'La ressource a été modifiée entre-temps.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Le contenu envoyé est trop volumineux.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Ce type de contenu n'est pas accepté." },
  RATE_LIMITED: { status: 429, message: 'Trop de tentatives. Réessayez plus tard.' },
  INTERNAL: { status: 500, message: 'Une erreur interne est survenue.' },
  NOT_READY: { status: 503, message: "Le service n'est pas encore prêt." },
  // tenancy
  TENANT_NOT_FOUND: { status: 404, message: 'Aucune commune ne correspond à cette adresse.' },
  TENANT_SUSPENDED: {
    status: 423,
    message: 'Le compte de cette commune est suspendu : le portail est en lecture seule.',
  },
  PLUGIN_DISABLED: { status: 404, message: "Ce module n'est pas activé pour cette commune." },
  PLUGIN_DEPENDENCY_DISABLED: { status: 409, message: "Ce module dépend d'un module qui n'est pas activé." },
  PLUGIN_SETTINGS_INVALID: { status: 400, message: 'Les réglages du module sont invalides.' },
  PLUGIN_UNKNOWN: { status: 404, message: "Ce module n'existe pas." },
  // identity
  CSRF_TOKEN_INVALID: { status: 403, message: 'Jeton anti-CSRF manquant ou invalide.' },
  TOTP_SETUP_REQUIRED: {
    status: 403,
    message:
      "Activez la double authentification (application TOTP) avant d'utiliser les fonctions réservées au personnel.",
  },
  TOTP_REQUIRED: {
    status: 403,
    message: 'Saisissez le code de votre application de double authentification.',
  },
  TOTP_INVALID: { status: 400, message: 'Code de double authentification invalide.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Adresse e-mail ou mot de passe incorrect.' },
  ACCOUNT_LOCKED: {
    status: 423,
    message:
      'Trop de tentatives échouées : le compte est verrouillé temporairement. Réessayez dans quelques minutes.',
  },
  EMAIL_INVALID: { status: 400, message: 'Adresse e-mail invalide.' },
  EMAIL_TAKEN: {
    status: 409,
    message: 'Un compte existe déjà avec cette adresse e-mail dans cette commune.',
  },
  PHONE_INVALID: {
    status: 400,
    message: 'Numéro de téléphone mobile invalide (format attendu : 06 12 34 56 78).',
  },
  DISPLAY_NAME_INVALID: { status: 400, message: "Le nom d'affichage doit compter de 2 à 40 caractères." },
  PASSWORD_TOO_SHORT: { status: 400, message: 'Le mot de passe doit compter au moins 10 caractères.' },
  PASSWORD_TOO_LONG: { status: 400, message: 'Le mot de passe est trop long.' },
  PASSWORD_TOO_PERSONAL: {
    status: 400,
    message: 'Le mot de passe ne doit pas contenir votre nom ou votre adresse e-mail.',
  },
  PASSWORD_TOO_SIMPLE: { status: 400, message: 'Le mot de passe est trop simple.' },
  TOKEN_INVALID: { status: 400, message: 'Ce lien ou ce code est invalide ou a expiré.' },
  CODE_ATTEMPTS_EXCEEDED: { status: 429, message: 'Trop de codes erronés : demandez un nouveau code.' },
  EMAIL_NOT_VERIFIED: { status: 403, message: "Confirmez d'abord votre adresse e-mail." },
  SESSION_NOT_FOUND: { status: 404, message: 'Session introuvable.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

const catalogue: Record<string, ErrorSpec> = { ...ERRORS };

/** Plugins and modules add their own codes at load time; duplicates are a programming error. */
export function registerErrorCodes(codes: Record<string, ErrorSpec>): void {
  for (const [code, spec] of Object.entries(codes)) {
    const existing = catalogue[code];
    if (existing && (existing.status !== spec.status || existing.message !== spec.message)) {
      throw new Error(`Error code ${code} is already registered with another meaning`);
    }
    catalogue[code] = spec;
  }
}

export function errorSpec(code: string): ErrorSpec | undefined {
  return catalogue[code];
}

export class VigieError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message?: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    const spec = catalogue[code];
    if (!spec) throw new Error(`Unknown error code ${code}: add it to the catalogue`);
    super(message ?? spec.message, options);
    this.name = 'VigieError';
    this.code = code;
    this.statusCode = spec.status;
    this.details = details;
  }
}

export function isVigieError(err: unknown): err is VigieError {
  return err instanceof VigieError;
}

/** Shorthand used by services: `throw fail('NOT_FOUND')`. */
export function fail(code: string, message?: string, details?: Record<string, unknown>): VigieError {
  return new VigieError(code, message, details);
}

export interface PublicError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** What a client may see of an error. 5xx never leaks its message or stack. */
export function toPublicError(err: unknown, requestId?: string): { status: number; body: PublicError } {
  if (isVigieError(err)) {
    if (err.statusCode >= 500) {
      return {
        status: err.statusCode,
        body: { code: err.code, message: errorSpec(err.code)!.message, requestId },
      };
    }
    const body: PublicError = { code: err.code, message: err.message, requestId };
    if (err.details) body.details = err.details;
    return { status: err.statusCode, body };
  }
  const e = err as { statusCode?: number; code?: string; validation?: unknown; message?: string };
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own 4xx (bad JSON, schema validation, body too large, bad multipart).
    const code = e.validation
      ? 'VALIDATION_FAILED'
      : e.statusCode === 413
        ? 'PAYLOAD_TOO_LARGE'
        : e.statusCode === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : e.statusCode === 429
            ? 'RATE_LIMITED'
            : e.statusCode === 404
              ? 'NOT_FOUND'
              : 'BAD_REQUEST';
    return {
      status: e.statusCode,
      body: { code, message: e.message ?? ERRORS.BAD_REQUEST.message, requestId },
    };
  }
  return { status: 500, body: { code: 'INTERNAL', message: ERRORS.INTERNAL.message, requestId } };
}
