import { defineErrors } from '../lib/errors.js';

/** Codes of the tenants module: communes as code, per-commune plugin enablement. */
export const tenantErrors = defineErrors({
  PLUGIN_DEPENDENCY_DISABLED: {
    status: 409,
    fr: "Ce module dépend d'un module qui n'est pas activé.",
    en: 'This module depends on a module that is not enabled.',
  },
  PLUGIN_SETTINGS_INVALID: {
    status: 400,
    fr: 'Les réglages du module sont invalides.',
    en: "The module's settings are invalid.",
  },
  PLUGIN_UNKNOWN: { status: 404, fr: "Ce module n'existe pas.", en: 'This module does not exist.' },
  TENANT_SPEC_INVALID: {
    status: 400,
    fr: 'La définition de la commune est invalide.',
    en: "The commune's definition is invalid.",
  },
  TENANT_EXISTS: { status: 409, fr: 'Cette commune existe déjà.', en: 'This commune already exists.' },
  TENANT_DOMAIN_TAKEN: {
    status: 409,
    fr: 'Ce nom de domaine est déjà utilisé par une autre commune.',
    en: 'This domain name is already used by another commune.',
  },
  PLUGIN_REQUIRED_BY_ENABLED: {
    status: 409,
    fr: "Un module activé dépend de ce module : désactivez-le d'abord.",
    en: 'An enabled module depends on this module: disable it first.',
  },
} as const);

export const { fail } = tenantErrors;
