// The billing module's codes.
import { defineErrors } from '../lib/errors.js';

export const billingErrors = defineErrors({
  BILLING_NOT_CONFIGURED: {
    status: 503,
    fr: 'La souscription en ligne n’est pas encore ouverte sur cette plateforme. Écrivez-nous pour recevoir un devis.',
    en: 'Online subscription is not open on this platform yet. Write to us for a quote.',
  },
  BILLING_SIRET_INVALID: {
    status: 400,
    fr: 'Le numéro SIRET doit compter 14 chiffres et être valide (clé de Luhn).',
    en: 'The SIRET number must have 14 digits and be valid (Luhn check).',
  },
  BILLING_SERVICE_CODE_INVALID: {
    status: 400,
    fr: 'Le code service Chorus Pro compte au plus 100 caractères (lettres, chiffres, tirets).',
    en: 'The Chorus Pro service code has at most 100 characters (letters, digits, dashes).',
  },
  BILLING_COMMITMENT_INVALID: {
    status: 400,
    fr: 'Le numéro d’engagement compte au plus 50 caractères (lettres, chiffres, tirets, barres).',
    en: 'The commitment number has at most 50 characters (letters, digits, dashes, slashes).',
  },
  BILLING_POPULATION_REQUIRED: {
    status: 400,
    fr: 'Indiquez la population de la commune : elle ne figure pas dans le code officiel géographique.',
    en: "Give the commune's population: it is not in the official geographic code.",
  },
  BILLING_ALREADY_SUBSCRIBED: {
    status: 409,
    fr: 'La commune a déjà un abonnement en cours.',
    en: 'The commune already has a subscription.',
  },
  BILLING_NOT_SUBSCRIBED: {
    status: 409,
    fr: 'La commune n’a pas d’abonnement en cours.',
    en: 'The commune has no subscription.',
  },
  BILLING_PRICE_NOT_SYNCED: {
    status: 503,
    fr: 'Ce tarif n’est pas encore publié chez notre prestataire de paiement. Réessayez plus tard.',
    en: 'This price is not published with our payment provider yet. Try again later.',
  },
  BILLING_PROVIDER_UNAVAILABLE: {
    status: 503,
    fr: 'Notre prestataire de paiement ne répond pas. Réessayez dans quelques minutes.',
    en: 'Our payment provider is not answering. Try again in a few minutes.',
  },
  STRIPE_SIGNATURE_INVALID: {
    status: 403,
    fr: 'La signature du webhook Stripe est invalide.',
    en: "The Stripe webhook's signature is invalid.",
  },
  BILLING_CUSTOMER_UNKNOWN: {
    status: 404,
    fr: 'Ce client Stripe ne correspond à aucune commune.',
    en: 'This Stripe customer matches no commune.',
  },
  BILLING_INVOICE_NOT_FOUND: {
    status: 404,
    fr: 'Cette facture n’existe pas pour votre commune.',
    en: 'This invoice does not exist for your commune.',
  },
  BILLING_FACTURX_NOT_READY: {
    status: 409,
    fr: 'Le document Factur-X de cette facture est en cours de préparation. Réessayez dans une minute.',
    en: "This invoice's Factur-X document is being prepared. Try again in a minute.",
  },
  BILLING_INVOICE_RENDER_FAILED: {
    status: 500,
    fr: 'Le document Factur-X n’a pas pu être produit ; il sera retenté automatiquement.',
    en: 'The Factur-X document could not be produced; it will be retried automatically.',
  },
} as const);

export const { fail } = billingErrors;
