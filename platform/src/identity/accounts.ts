// Accounts, registration, verification, login and password reset. Every
// function takes the caller's tenant-bound transaction (withTenant).
import type { Knex } from 'knex';
import { fail } from './errors.js';
import { VigieError } from '../lib/errors.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { numericCode, randomToken, sha256 } from '../lib/crypto.js';
import { audit } from '../lib/audit.js';
import { LOCK_AFTER_FAILURES, LOCK_MINUTES } from './ratelimit.js';
import type { AccountMessenger } from './messages.js';
import { ROLES, type Role, type RoleGrant } from './permissions.js';

type Trx = Knex.Transaction;

export interface AccountRow {
  id: string;
  tenant_id: string;
  /** Null only for a resident registered at the counter without one (no password either: they cannot sign in). */
  email: string | null;
  email_verified_at: Date | null;
  password_hash: string | null;
  display_name: string;
  phone: string | null;
  phone_verified_at: Date | null;
  locale: 'fr' | 'en';
  status: 'active' | 'disabled' | 'deleted';
  failed_logins: number;
  locked_until: Date | null;
  totp_secret_enc: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw fail('EMAIL_INVALID');
  return e;
}

/** French mobile numbers (06, 07) become E.164; other E.164 numbers are kept. */
export function normalizePhone(phone: string): string {
  const p = phone.replace(/[\s.\-()]/g, '');
  let e164: string;
  if (/^0[67]\d{8}$/.test(p)) e164 = `+33${p.slice(1)}`;
  else if (/^0033[67]\d{8}$/.test(p)) e164 = `+${p.slice(2)}`;
  else if (/^\+[1-9]\d{7,14}$/.test(p)) e164 = p;
  else throw fail('PHONE_INVALID');
  if (e164.startsWith('+33') && !/^\+33[67]\d{8}$/.test(e164)) throw fail('PHONE_INVALID');
  return e164;
}

export function normalizeDisplayName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (n.length < 2 || n.length > 40 || /[<>]/.test(n)) throw fail('DISPLAY_NAME_INVALID');
  return n;
}

export interface NewAccount {
  email: string;
  password?: string;
  displayName: string;
  phone?: string | null;
  locale?: 'fr' | 'en';
  roles?: Array<{ role: Role; scopeId?: string | null }>;
  emailVerified?: boolean;
  phoneVerified?: boolean;
}

/** An account with an email: every one but those registered at the counter without one. */
export type AccountWithEmail = AccountRow & { email: string };

export async function createAccount(
  trx: Trx,
  tenantId: string,
  input: NewAccount,
): Promise<AccountWithEmail> {
  const email = normalizeEmail(input.email);
  const displayName = normalizeDisplayName(input.displayName);
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, [displayName, email.split('@')[0] ?? '']);
    if (problem) throw fail(problem);
  }
  await assertEmailFree(trx, email);
  const now = new Date();
  const [row] = await trx<AccountWithEmail>('accounts')
    .insert({
      tenant_id: tenantId,
      email,
      display_name: displayName,
      phone,
      locale: input.locale ?? 'fr',
      password_hash: input.password !== undefined ? await hashPassword(input.password) : null,
      email_verified_at: input.emailVerified ? now : null,
      phone_verified_at: input.phoneVerified && phone ? now : null,
    })
    .returning('*');
  for (const r of input.roles ?? [{ role: 'resident' as const }])
    await grantRole(trx, tenantId, row!.id, r.role, r.scopeId ?? null, null);
  return row!;
}

async function assertEmailFree(trx: Trx, email: string): Promise<void> {
  const taken = await trx('accounts')
    .whereRaw('lower(email) = ?', [email])
    .whereNot('status', 'deleted')
    .first('id');
  if (taken) throw fail('EMAIL_TAKEN');
}

/**
 * An account a mairie agent creates at the counter for a resident without
 * internet: no password (an invitation gives them one if they have an email),
 * the email optional, the mobile checked by the agent. A resident.
 */
export async function createResidentAccount(
  trx: Trx,
  tenantId: string,
  input: {
    displayName: string;
    email: string | null;
    phone: string | null;
    locale: 'fr' | 'en';
    phoneVerified: boolean;
    grantedBy: string;
  },
): Promise<AccountRow> {
  const displayName = normalizeDisplayName(input.displayName);
  const email = input.email === null ? null : normalizeEmail(input.email);
  const phone = input.phone === null ? null : normalizePhone(input.phone);
  if (email) await assertEmailFree(trx, email);
  const [row] = await trx<AccountRow>('accounts')
    .insert({
      tenant_id: tenantId,
      email,
      display_name: displayName,
      phone,
      locale: input.locale,
      password_hash: null,
      email_verified_at: null,
      phone_verified_at: input.phoneVerified && phone ? new Date() : null,
    })
    .returning('*');
  await grantRole(trx, tenantId, row!.id, 'resident', null, input.grantedBy);
  return row!;
}

export async function grantRole(
  trx: Trx,
  tenantId: string,
  accountId: string,
  role: Role,
  scopeId: string | null,
  grantedBy: string | null,
): Promise<void> {
  if (!ROLES.includes(role)) throw new VigieError('VALIDATION_FAILED', `Rôle inconnu : ${role}`);
  await trx.raw(
    `insert into role_assignments (tenant_id, account_id, role, scope_id, granted_by) values (?, ?, ?, ?, ?)
     on conflict (tenant_id, account_id, role, coalesce(scope_id, '00000000-0000-0000-0000-000000000000'::uuid)) do nothing`,
    [tenantId, accountId, role, scopeId, grantedBy],
  );
}

export async function revokeRole(
  trx: Trx,
  accountId: string,
  role: Role,
  scopeId: string | null,
): Promise<number> {
  const q = trx('role_assignments').where({ account_id: accountId, role });
  if (scopeId === null) q.whereNull('scope_id');
  else q.where('scope_id', scopeId);
  return q.delete();
}

export async function rolesOf(trx: Trx, accountId: string): Promise<RoleGrant[]> {
  const rows = await trx('role_assignments')
    .where({ account_id: accountId })
    .select('role', 'scope_id')
    .orderBy('role');
  return rows.map((r: { role: Role; scope_id: string | null }) => ({ role: r.role, scopeId: r.scope_id }));
}

// ---- one-time tokens -------------------------------------------------------

const TTL = { email: 48 * 3600_000, phone: 15 * 60_000, password_reset: 60 * 60_000 } as const;
const MAX_CODE_ATTEMPTS = 5;

async function issueToken(
  trx: Trx,
  tenantId: string,
  accountId: string,
  purpose: keyof typeof TTL,
  ttlMs: number = TTL[purpose],
): Promise<string> {
  const secret = purpose === 'phone' ? numericCode(6) : randomToken(32);
  // A new token voids the previous ones of the same purpose.
  await trx('verification_tokens')
    .where({ account_id: accountId, purpose })
    .whereNull('used_at')
    .update({ used_at: new Date() });
  await trx('verification_tokens').insert({
    tenant_id: tenantId,
    account_id: accountId,
    purpose,
    token_hash: sha256(purpose === 'phone' ? `${accountId}:${secret}` : secret),
    expires_at: new Date(Date.now() + ttlMs),
  });
  return secret;
}

export interface PortalLinks {
  /** Base URL of the commune's portal, e.g. http://serris.localhost:3000 */
  portalUrl: string;
}

export async function sendEmailVerification(
  trx: Trx,
  account: AccountWithEmail,
  messenger: AccountMessenger,
  links: PortalLinks,
): Promise<void> {
  const token = await issueToken(trx, account.tenant_id, account.id, 'email');
  const url = `${links.portalUrl}/verifier-email?token=${token}`;
  await messenger(trx, {
    tenantId: account.tenant_id,
    channel: 'email',
    to: account.email,
    kind: 'email_verification',
    locale: account.locale,
    subject: account.locale === 'en' ? 'Confirm your email address' : 'Confirmez votre adresse e-mail',
    body:
      account.locale === 'en'
        ? `Hello ${account.display_name},\n\nConfirm your email address by opening this link: ${url}\n\nThe link is valid for 48 hours.`
        : `Bonjour ${account.display_name},\n\nConfirmez votre adresse e-mail en ouvrant ce lien : ${url}\n\nLe lien est valable 48 heures.`,
  });
}

export async function sendPhoneCode(
  trx: Trx,
  account: AccountRow,
  messenger: AccountMessenger,
): Promise<void> {
  if (!account.phone) throw fail('PHONE_INVALID', "Aucun numéro de téléphone n'est enregistré.");
  const code = await issueToken(trx, account.tenant_id, account.id, 'phone');
  await messenger(trx, {
    tenantId: account.tenant_id,
    channel: 'sms',
    to: account.phone,
    kind: 'phone_verification',
    locale: account.locale,
    body:
      account.locale === 'en'
        ? `Vigie: your verification code is ${code}. It expires in 15 minutes.`
        : `Vigie : votre code de vérification est ${code}. Il expire dans 15 minutes.`,
  });
}

export async function verifyEmailToken(trx: Trx, token: string): Promise<string> {
  const row = await trx('verification_tokens')
    .where({ purpose: 'email', token_hash: sha256(token) })
    .whereNull('used_at')
    .where('expires_at', '>', new Date())
    .first();
  if (!row) throw fail('TOKEN_INVALID');
  await trx('verification_tokens').where({ id: row.id }).update({ used_at: new Date() });
  await trx('accounts')
    .where({ id: row.account_id })
    .update({ email_verified_at: new Date(), updated_at: new Date() });
  return row.account_id as string;
}

export async function verifyPhoneCode(trx: Trx, accountId: string, code: string): Promise<void> {
  const row = await trx('verification_tokens')
    .where({ purpose: 'phone', account_id: accountId })
    .whereNull('used_at')
    .orderBy('created_at', 'desc')
    .forUpdate()
    .first();
  if (!row || row.expires_at <= new Date()) throw fail('TOKEN_INVALID');
  if (row.attempts >= MAX_CODE_ATTEMPTS) throw fail('CODE_ATTEMPTS_EXCEEDED');
  if (row.token_hash !== sha256(`${accountId}:${code.trim()}`)) {
    await trx('verification_tokens').where({ id: row.id }).increment('attempts', 1);
    throw fail('TOKEN_INVALID');
  }
  await trx('verification_tokens').where({ id: row.id }).update({ used_at: new Date() });
  await trx('accounts')
    .where({ id: accountId })
    .update({ phone_verified_at: new Date(), updated_at: new Date() });
}

/**
 * Invites a person whose account was created for them (a commune's first mairie
 * admin, staff): a link valid 7 days to choose a password. It is a password-reset
 * token with an invitation's wording and lifetime.
 */
export async function sendInvitation(
  trx: Trx,
  account: AccountWithEmail,
  messenger: AccountMessenger,
  links: PortalLinks,
  communeName: string,
): Promise<void> {
  const token = await issueToken(trx, account.tenant_id, account.id, 'password_reset', 7 * 86_400_000);
  const url = `${links.portalUrl}/nouveau-mot-de-passe?token=${token}&invitation=1`;
  await messenger(trx, {
    tenantId: account.tenant_id,
    channel: 'email',
    to: account.email,
    kind: 'invitation',
    locale: account.locale,
    subject:
      account.locale === 'en'
        ? `Your Vigie access for ${communeName}`
        : `Votre accès à Vigie pour ${communeName}`,
    body:
      account.locale === 'en'
        ? `Hello ${account.display_name},\n\nAn account was created for you on Vigie (${communeName}). Choose your password here: ${url}\n\nThe link is valid for 7 days.`
        : `Bonjour ${account.display_name},\n\nUn compte Vigie a été créé pour vous (${communeName}). Choisissez votre mot de passe ici : ${url}\n\nLe lien est valable 7 jours.`,
  });
  await audit(trx, {
    tenantId: account.tenant_id,
    actor: { type: 'system' },
    action: 'auth.invitation_sent',
    target: { type: 'account', id: account.id },
  });
}

// ---- login and password reset ---------------------------------------------

/**
 * Checks a password. Failures are counted per account; after
 * LOCK_AFTER_FAILURES the account is locked for LOCK_MINUTES. The answer to a
 * wrong email and to a wrong password is the same.
 */
export async function checkCredentials(
  trx: Trx,
  tenantId: string,
  email: string,
  password: string,
  requestId?: string,
): Promise<AccountRow> {
  let normalized: string;
  try {
    normalized = normalizeEmail(email);
  } catch {
    await verifyPassword(null, password);
    throw new VigieError('INVALID_CREDENTIALS');
  }
  const account = await trx<AccountRow>('accounts')
    .whereRaw('lower(email) = ?', [normalized])
    .where('status', 'active')
    .forUpdate()
    .first();
  if (!account) {
    await verifyPassword(null, password);
    await audit(trx, {
      tenantId,
      actor: { type: 'anonymous' },
      action: 'auth.login_failed',
      meta: { reason: 'unknown_account' },
      requestId,
    });
    throw new VigieError('INVALID_CREDENTIALS');
  }
  if (account.locked_until && account.locked_until > new Date()) {
    await audit(trx, {
      tenantId,
      actor: { type: 'account', id: account.id },
      action: 'auth.login_refused_locked',
      requestId,
    });
    throw fail('ACCOUNT_LOCKED');
  }
  if (!(await verifyPassword(account.password_hash, password))) {
    const failures = account.failed_logins + 1;
    const lock = failures >= LOCK_AFTER_FAILURES;
    await trx('accounts')
      .where({ id: account.id })
      .update({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(Date.now() + LOCK_MINUTES * 60_000) : account.locked_until,
      });
    await audit(trx, {
      tenantId,
      actor: { type: 'account', id: account.id },
      action: lock ? 'auth.account_locked' : 'auth.login_failed',
      meta: { failures },
      requestId,
    });
    throw fail(lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
  }
  await trx('accounts')
    .where({ id: account.id })
    .update({ failed_logins: 0, locked_until: null, last_login_at: new Date() });
  await audit(trx, {
    tenantId,
    actor: { type: 'account', id: account.id },
    action: 'auth.login_succeeded',
    requestId,
  });
  return account;
}

/** Always resolves the same way, so that it does not reveal whether the account exists. */
export async function requestPasswordReset(
  trx: Trx,
  tenantId: string,
  email: string,
  messenger: AccountMessenger,
  links: PortalLinks,
): Promise<void> {
  let normalized: string;
  try {
    normalized = normalizeEmail(email);
  } catch {
    return;
  }
  const account = await trx<AccountWithEmail>('accounts')
    .whereRaw('lower(email) = ?', [normalized])
    .where('status', 'active')
    .first();
  if (!account) return;
  const token = await issueToken(trx, tenantId, account.id, 'password_reset');
  const url = `${links.portalUrl}/nouveau-mot-de-passe?token=${token}`;
  await messenger(trx, {
    tenantId,
    channel: 'email',
    to: account.email,
    kind: 'password_reset',
    locale: account.locale,
    subject: account.locale === 'en' ? 'Reset your password' : 'Réinitialisez votre mot de passe',
    body:
      account.locale === 'en'
        ? `Someone asked to reset your Vigie password. If it was you, open: ${url} (valid 1 hour). Otherwise ignore this message.`
        : `Une réinitialisation de votre mot de passe Vigie a été demandée. Si c'est vous, ouvrez : ${url} (valable 1 heure). Sinon, ignorez ce message.`,
  });
  await audit(trx, {
    tenantId,
    actor: { type: 'account', id: account.id },
    action: 'auth.password_reset_requested',
  });
}

export async function resetPassword(trx: Trx, token: string, newPassword: string): Promise<string> {
  const row = await trx('verification_tokens')
    .where({ purpose: 'password_reset', token_hash: sha256(token) })
    .whereNull('used_at')
    .where('expires_at', '>', new Date())
    .forUpdate()
    .first();
  if (!row) throw fail('TOKEN_INVALID');
  const account = await trx<AccountRow>('accounts').where({ id: row.account_id }).first();
  if (!account) throw fail('TOKEN_INVALID');
  const problem = passwordProblem(newPassword, [account.display_name, account.email?.split('@')[0] ?? '']);
  if (problem) throw fail(problem);
  await trx('verification_tokens').where({ id: row.id }).update({ used_at: new Date() });
  await trx('accounts')
    .where({ id: account.id })
    .update({
      password_hash: await hashPassword(newPassword),
      failed_logins: 0,
      locked_until: null,
      updated_at: new Date(),
    });
  // A reset means the old password may be known to someone else: end every session.
  await trx('sessions')
    .where({ account_id: account.id })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  await audit(trx, {
    tenantId: account.tenant_id,
    actor: { type: 'account', id: account.id },
    action: 'auth.password_reset',
  });
  return account.id;
}
