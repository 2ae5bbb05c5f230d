// Error codes are data declared by their owner. Each core module and each plugin
// declares its own with `defineErrors({...} as const)`, which returns a `fail()`
// typed to those codes and the core's generic ones, so a mistyped code does not
// compile. The app and the worker assemble the catalogue of what is installed
// (`buildErrorCatalogue`); nothing is registered by importing a file.
// A code is a stable contract with clients (the UI, the mobile app, a mairie's
// integration): never rename one, add new ones. 4xx errors show their message to
// the caller, in the caller's language; 5xx errors are logged and hidden.

export type Locale = 'fr' | 'en';

export interface ErrorSpec {
  readonly status: number;
  /** French first: the language of the communes. */
  readonly fr: string;
  readonly en: string;
}

/** A sentence in both languages, for a throw site that says more than its code's message. */
export interface LocalizedText {
  readonly fr: string;
  readonly en: string;
}

export type ErrorSpecs = Readonly<Record<string, ErrorSpec>>;

/** The codes of the request layer, shared by every module: generic, tenancy, session and permission. */
export const CORE_ERRORS = {
  // generic
  VALIDATION_FAILED: { status: 400, fr: 'La requête est invalide.', en: 'The request is invalid.' },
  BAD_REQUEST: { status: 400, fr: 'La requête est invalide.', en: 'The request is invalid.' },
  UNAUTHENTICATED: { status: 401, fr: 'Vous devez être connecté.', en: 'You must be signed in.' },
  FORBIDDEN: {
    status: 403,
    fr: "Vous n'avez pas la permission de faire cela.",
    en: 'You are not allowed to do this.',
  },
  NOT_FOUND: { status: 404, fr: 'Ressource introuvable.', en: 'Resource not found.' },
  ROUTE_NOT_FOUND: {
    status: 404,
    fr: 'Cette adresse ne correspond à aucune route.',
    en: 'This address does not match any route.',
  },
  CONFLICT: {
    status: 409,
    fr: 'La ressource a été modifiée entre-temps.',
    en: 'The resource was changed in the meantime.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    fr: 'Le contenu envoyé est trop volumineux.',
    en: 'The content sent is too large.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    fr: "Ce type de contenu n'est pas accepté.",
    en: 'This content type is not accepted.',
  },
  RATE_LIMITED: {
    status: 429,
    fr: 'Trop de tentatives. Réessayez plus tard.',
    en: 'Too many attempts. Try again later.',
  },
  INTERNAL: { status: 500, fr: 'Une erreur interne est survenue.', en: 'An internal error occurred.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    fr: "Cette route n'accepte pas cette méthode.",
    en: 'This route does not accept this method.',
  },
  NOT_READY: { status: 503, fr: "Le service n'est pas encore prêt.", en: 'The service is not ready yet.' },
  // tenancy
  TENANT_NOT_FOUND: {
    status: 404,
    fr: 'Aucune commune ne correspond à cette adresse.',
    en: 'No commune matches this address.',
  },
  TENANT_SUSPENDED: {
    status: 423,
    fr: 'Le compte de cette commune est suspendu : le portail est en lecture seule.',
    en: "This commune's account is suspended: the portal is read-only.",
  },
  TENANT_CLOSED: {
    status: 410,
    fr: 'Le portail de cette commune est fermé et ses données ont été supprimées.',
    en: "This commune's portal is closed and its data has been deleted.",
  },
  PLUGIN_DISABLED: {
    status: 404,
    fr: "Ce module n'est pas activé pour cette commune.",
    en: 'This module is not enabled for this commune.',
  },
  // identity
  CSRF_TOKEN_INVALID: {
    status: 403,
    fr: 'Jeton anti-CSRF manquant ou invalide.',
    en: 'Anti-CSRF token missing or invalid.',
  },
  TOTP_SETUP_REQUIRED: {
    status: 403,
    fr: "Activez la double authentification (application TOTP) avant d'utiliser les fonctions réservées au personnel.",
    en: 'Turn on two-factor authentication (a TOTP app) before using staff features.',
  },
  TOTP_REQUIRED: {
    status: 403,
    fr: 'Saisissez le code de votre application de double authentification.',
    en: 'Enter the code from your two-factor authentication app.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    fr: 'Adresse e-mail ou mot de passe incorrect.',
    en: 'Incorrect email address or password.',
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    fr: "Confirmez d'abord votre adresse e-mail.",
    en: 'Confirm your email address first.',
  },
} as const satisfies ErrorSpecs;

export type CoreErrorCode = keyof typeof CORE_ERRORS;

type Details = Record<string, unknown>;

export class VigieError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly spec: ErrorSpec;
  readonly details: Details | undefined;
  /** Set when the throw site gave its own sentence; the French one is also `message`. */
  readonly text: { fr: string; en?: string } | undefined;

  /** For the core's codes; a module's codes go through the `fail` its `defineErrors` returns. */
  constructor(
    code: CoreErrorCode,
    message?: string | LocalizedText,
    details?: Details,
    options?: { cause?: unknown },
  );
  constructor(
    code: DeclaredCode,
    message?: string | LocalizedText,
    details?: Details,
    options?: { cause?: unknown },
  );
  constructor(
    code: CoreErrorCode | DeclaredCode,
    message?: string | LocalizedText,
    details?: Details,
    options?: { cause?: unknown },
  ) {
    const declared = typeof code === 'string' ? { code, spec: CORE_ERRORS[code] } : code;
    const text = message === undefined ? undefined : typeof message === 'string' ? { fr: message } : message;
    super(text?.fr ?? declared.spec.fr, options);
    this.name = 'VigieError';
    this.code = declared.code;
    this.statusCode = declared.spec.status;
    this.spec = declared.spec;
    this.details = details;
    this.text = text;
  }

  /** The message a caller reading `locale` sees. A French-only sentence falls back to the code's English one. */
  messageIn(locale: Locale): string {
    if (locale === 'fr') return this.message;
    return this.text?.en ?? this.spec.en;
  }
}

/** A code with its spec, as `defineErrors` hands it to `VigieError`. */
export interface DeclaredCode {
  readonly code: string;
  readonly spec: ErrorSpec;
}

export interface DeclaredErrors<C extends string> {
  /** The owner's own codes (the core's are not repeated here). */
  readonly specs: { readonly [K in C]: ErrorSpec };
  /** `throw fail('SECTOR_NOT_FOUND')`: only a declared code compiles. */
  fail(
    code: C | CoreErrorCode,
    message?: string | LocalizedText,
    details?: Details,
    options?: { cause?: unknown },
  ): VigieError;
  /** A code with its spec, for data that names the error to throw later (upload rules). */
  code(code: C): DeclaredCode;
  /** Narrows a code read from elsewhere (an ApplicationFailure type, a client's input). */
  has(code: string): code is C;
}

export function defineErrors<const S extends ErrorSpecs>(specs: S): DeclaredErrors<keyof S & string> {
  type C = keyof S & string;
  for (const code of Object.keys(specs)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) throw new Error(`Error code ${code} must be UPPER_SNAKE_CASE`);
    if (Object.hasOwn(CORE_ERRORS, code) && specs !== (CORE_ERRORS as ErrorSpecs))
      throw new Error(`Error code ${code} is the core's: do not declare it again`);
  }
  return {
    specs: specs as unknown as { readonly [K in C]: ErrorSpec },
    fail(code, message, details, options) {
      const spec = Object.hasOwn(specs, code) ? specs[code] : CORE_ERRORS[code as CoreErrorCode];
      // Reached only past the type checker (a cast, plain JavaScript).
      if (!spec) throw new Error(`Undeclared error code ${code}: declare it with defineErrors`);
      return new VigieError({ code, spec }, message, details, options);
    },
    code: (code) => ({ code, spec: specs[code]! }),
    has: (code): code is C => Object.hasOwn(specs, code),
  };
}

/** The core's own `fail`: request-level code (generic, tenancy, session, permission). */
export const { fail } = defineErrors(CORE_ERRORS);

export function isVigieError(err: unknown): err is VigieError {
  return err instanceof VigieError;
}

/** What a module or plugin declares in its `errors` field: what `defineErrors` returns. */
export interface ErrorDeclaration {
  readonly specs: ErrorSpecs;
}

/** What one owner (a core module, a plugin) adds to the catalogue. */
export interface ErrorOwner {
  id: string;
  errors?: ErrorDeclaration | undefined;
}

export interface CatalogueEntry extends ErrorSpec {
  code: string;
  /** `core`, a core module's id, or a plugin's id. */
  owner: string;
}

/** The codes of one running app or worker, from what is installed. */
export class ErrorCatalogue {
  private readonly byCode = new Map<string, CatalogueEntry>();

  constructor(owners: readonly ErrorOwner[]) {
    for (const owner of [{ id: 'core', errors: { specs: CORE_ERRORS } }, ...owners]) {
      for (const [code, spec] of Object.entries(owner.errors?.specs ?? {})) {
        const seen = this.byCode.get(code);
        if (seen) throw new Error(`Error code ${code} is declared by both ${seen.owner} and ${owner.id}`);
        this.byCode.set(code, { code, owner: owner.id, ...spec });
      }
    }
  }

  get(code: string): CatalogueEntry | undefined {
    return this.byCode.get(code);
  }

  entries(): CatalogueEntry[] {
    return [...this.byCode.values()];
  }

  /**
   * The VigieError behind a Temporal failure whose type is one of our codes (an
   * activity's or an Update validator's refusal), so a workflow's refusal reaches
   * the client under its stable code; undefined for anything else.
   */
  fromFailure(failure: unknown): VigieError | undefined {
    for (let f = failure as { type?: unknown; message?: unknown; cause?: unknown } | undefined; f;) {
      if (typeof f.type === 'string') {
        const entry = this.byCode.get(f.type);
        if (entry) return new VigieError({ code: entry.code, spec: entry });
      }
      f = f.cause as typeof f;
    }
    return undefined;
  }
}

export function buildErrorCatalogue(owners: readonly ErrorOwner[]): ErrorCatalogue {
  return new ErrorCatalogue(owners);
}

/** The caller's language: the account's own, then the browser's Accept-Language, then French. */
export function pickLocale(accountLocale: string | undefined, acceptLanguage: string | undefined): Locale {
  if (accountLocale === 'fr' || accountLocale === 'en') return accountLocale;
  if (!acceptLanguage) return 'fr';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((l) => (l.lang === 'fr' || l.lang === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? 'fr';
}

export interface PublicError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** Fastify's own 4xx, by Fastify error code, in our catalogue. */
const FASTIFY_CODES: Record<string, CoreErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_MAX_PARAM_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

/** The field a schema validation error is about: `proofId`, `body.name`, `query.format`. */
function validationArgument(err: unknown): string | undefined {
  const e = err as {
    validation?: Array<{ instancePath?: string; params?: { missingProperty?: string } }>;
    validationContext?: string;
  };
  const first = e.validation?.[0];
  if (!first) return undefined;
  const path = [
    ...(first.instancePath ?? '').split('/').filter(Boolean),
    ...(first.params?.missingProperty ? [first.params.missingProperty] : []),
  ].join('.');
  return path || e.validationContext;
}

function fastifyCode(e: { statusCode: number; code?: string; validation?: unknown }): CoreErrorCode {
  if (e.validation) return 'VALIDATION_FAILED';
  const known = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) return known;
  switch (e.statusCode) {
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'BAD_REQUEST';
  }
}

/** What a client may see of an error, in its language. 5xx never leaks its message or stack. */
export function toPublicError(
  err: unknown,
  requestId?: string,
  locale: Locale = 'fr',
): { status: number; body: PublicError } {
  if (isVigieError(err)) {
    if (err.statusCode >= 500) {
      return { status: err.statusCode, body: { code: err.code, message: err.spec[locale], requestId } };
    }
    const body: PublicError = { code: err.code, message: err.messageIn(locale), requestId };
    if (err.details) body.details = err.details;
    return { status: err.statusCode, body };
  }
  const e = err as { statusCode?: number; code?: string; validation?: unknown; message?: string };
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own 4xx (bad JSON, schema validation, body too large, bad multipart,
    // an over-long URL parameter): our code and message, Fastify's words as the reason.
    const code = fastifyCode(e as { statusCode: number });
    const body: PublicError = { code, message: CORE_ERRORS[code][locale], requestId };
    const details: Record<string, unknown> = {};
    const argument = validationArgument(err);
    if (argument) details.argument = argument;
    if (e.message) details.reason = e.message;
    if (e.code) details.fastifyCode = e.code;
    if (Object.keys(details).length > 0) body.details = details;
    // Malformed input before routing (an over-long parameter is Fastify's 414) is a 400 like any other.
    const status = e.code && FASTIFY_CODES[e.code] ? CORE_ERRORS[code].status : e.statusCode;
    return { status, body };
  }
  return { status: 500, body: { code: 'INTERNAL', message: CORE_ERRORS.INTERNAL[locale], requestId } };
}
