import { registerErrorCodes, type ErrorSpec } from '../server/errors.js';

/** Codes added by the tenants module (registered through its core module's `errors`). */
export const tenantErrors = {
  TENANT_SPEC_INVALID: { status: 400, message: 'La définition de la commune est invalide.' },
  TENANT_EXISTS: { status: 409, message: 'Cette commune existe déjà.' },
  TENANT_DOMAIN_TAKEN: { status: 409, message: 'Ce nom de domaine est déjà utilisé par une autre commune.' },
  PLUGIN_REQUIRED_BY_ENABLED: {
    status: 409,
    message: "Un module activé dépend de ce module : désactivez-le d'abord.",
  },
} as const satisfies Record<string, ErrorSpec>;

// Registered at import as well: the CLI and the seed throw these codes without
// building the app (registration is idempotent for identical specs).
registerErrorCodes(tenantErrors);
