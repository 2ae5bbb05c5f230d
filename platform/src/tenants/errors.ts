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
  ONBOARDING_INSEE_UNKNOWN: {
    status: 404,
    fr: "Ce code INSEE n'est celui d'aucune commune française (Code officiel géographique).",
    en: 'This INSEE code is not that of any French commune (Code officiel géographique).',
  },
  ONBOARDING_INSEE_RETIRED: {
    status: 422,
    fr: "Ce code INSEE n'est plus celui d'une commune actuelle (commune fusionnée, déléguée ou associée) : utilisez celui de la commune actuelle.",
    en: "This INSEE code is no longer that of a current commune (merged, delegated or associated): use the current commune's code.",
  },
  ONBOARDING_NO_ADDRESSES: {
    status: 422,
    fr: "Le fichier ne contient aucune adresse. Rien n'a été importé.",
    en: 'The file holds no address. Nothing was imported.',
  },
  ONBOARDING_OTHER_COMMUNE: {
    status: 422,
    fr: "Ce fichier d'adresses est celui d'une autre commune. Rien n'a été importé.",
    en: 'This address file belongs to another commune. Nothing was imported.',
  },
  ONBOARDING_ADDRESSES_REFUSED: {
    status: 422,
    fr: "Des lignes du fichier d'adresses sont refusées (voir leurs numéros). Rien n'a été importé : corrigez-les et déposez le fichier à nouveau.",
    en: 'Some lines of the address file are refused (see their numbers). Nothing was imported: fix them and upload the file again.',
  },
  ONBOARDING_SECTORS_INVALID: {
    status: 422,
    fr: 'Les secteurs proposés ne conviennent pas : ils doivent couvrir chaque adresse, ne pas se chevaucher et rester dans la commune.',
    en: 'The proposed sectors do not fit: they must cover every address, not overlap, and stay inside the commune.',
  },
} as const);

export const { fail } = tenantErrors;
