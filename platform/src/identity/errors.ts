// Error codes of the identity module: accounts, passwords, verification codes, sessions, staff 2FA.
import { defineErrors } from '../lib/errors.js';

export const identityErrors = defineErrors({
  TOTP_INVALID: {
    status: 400,
    fr: 'Code de double authentification invalide.',
    en: 'Invalid two-factor authentication code.',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    fr: 'Trop de tentatives échouées : le compte est verrouillé temporairement. Réessayez dans quelques minutes.',
    en: 'Too many failed attempts: the account is locked for a while. Try again in a few minutes.',
  },
  EMAIL_INVALID: { status: 400, fr: 'Adresse e-mail invalide.', en: 'Invalid email address.' },
  EMAIL_TAKEN: {
    status: 409,
    fr: 'Un compte existe déjà avec cette adresse e-mail dans cette commune.',
    en: 'An account with this email address already exists in this commune.',
  },
  PHONE_INVALID: {
    status: 400,
    fr: 'Numéro de téléphone mobile invalide (format attendu : 06 12 34 56 78).',
    en: 'Invalid mobile phone number (expected format: 06 12 34 56 78).',
  },
  DISPLAY_NAME_INVALID: {
    status: 400,
    fr: "Le nom d'affichage doit compter de 2 à 40 caractères.",
    en: 'The display name must be 2 to 40 characters long.',
  },
  PASSWORD_TOO_SHORT: {
    status: 400,
    fr: 'Le mot de passe doit compter au moins 10 caractères.',
    en: 'The password must be at least 10 characters long.',
  },
  PASSWORD_TOO_LONG: { status: 400, fr: 'Le mot de passe est trop long.', en: 'The password is too long.' },
  PASSWORD_TOO_PERSONAL: {
    status: 400,
    fr: 'Le mot de passe ne doit pas contenir votre nom ou votre adresse e-mail.',
    en: 'The password must not contain your name or your email address.',
  },
  PASSWORD_TOO_SIMPLE: {
    status: 400,
    fr: 'Le mot de passe est trop simple.',
    en: 'The password is too simple.',
  },
  TOKEN_INVALID: {
    status: 400,
    fr: 'Ce lien ou ce code est invalide ou a expiré.',
    en: 'This link or code is invalid or has expired.',
  },
  CODE_ATTEMPTS_EXCEEDED: {
    status: 429,
    fr: 'Trop de codes erronés : demandez un nouveau code.',
    en: 'Too many wrong codes: ask for a new code.',
  },
  SESSION_NOT_FOUND: { status: 404, fr: 'Session introuvable.', en: 'Session not found.' },
} as const);

export const { fail } = identityErrors;
