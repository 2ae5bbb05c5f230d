// Platform operators: outside every commune, on their own tables and their own
// database role (vigie_operator). Password and TOTP are both required at every
// login; there is no operator session without the second factor.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from './errors.js';
import type { Knex } from 'knex';
import { Type, type Static } from '@sinclair/typebox';
import type { Config } from '../config/config.js';
import { VigieError } from '../lib/errors.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { deriveKey, randomToken, safeEqual, seal, sha256, unseal } from '../lib/crypto.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import { LIMITS, LOCK_AFTER_FAILURES, LOCK_MINUTES } from './ratelimit.js';
import { normalizeDisplayName, normalizeEmail } from './accounts.js';

export const OPERATOR_COOKIE = 'vigie_operator';
const OPERATOR_TTL_MS = 8 * 3600_000;

export interface OperatorPrincipal {
  operatorId: string;
  email: string;
  sessionId: string;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    operator: OperatorPrincipal | undefined;
  }
  interface FastifyInstance {
    requireOperator: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

const totpKey = (config: Config) => deriveKey(config.secret, 'operator-totp-seed');

export async function createOperator(
  db: Knex,
  config: Config,
  input: { email: string; password: string; displayName: string; totpSecret?: string },
): Promise<{ id: string; totpSecret: string; otpauthUri: string }> {
  const email = normalizeEmail(input.email);
  const problem = passwordProblem(input.password, [email.split('@')[0] ?? '']);
  if (problem) throw fail(problem);
  const secret = input.totpSecret ?? newTotpSecret();
  const [row] = await db('operators')
    .insert({
      email,
      password_hash: await hashPassword(input.password),
      display_name: normalizeDisplayName(input.displayName),
      totp_secret_enc: seal(totpKey(config), secret),
      totp_enabled_at: new Date(),
    })
    .returning('id');
  return {
    id: row.id as string,
    totpSecret: secret,
    otpauthUri: otpauthUri(secret, email, 'Vigie opérateurs'),
  };
}

export async function operatorLogin(
  db: Knex,
  config: Config,
  email: string,
  password: string,
  code: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date; operatorId: string }> {
  return db.transaction(async (trx) => {
    let normalized = '';
    try {
      normalized = normalizeEmail(email);
    } catch {
      /* same answer as a wrong password */
    }
    const op = normalized
      ? await trx('operators').whereRaw('lower(email) = ?', [normalized]).forUpdate().first()
      : undefined;
    if (!op) {
      await verifyPassword(null, password);
      throw new VigieError('INVALID_CREDENTIALS');
    }
    if (op.locked_until && op.locked_until > new Date()) throw fail('ACCOUNT_LOCKED');
    const passwordOk = await verifyPassword(op.password_hash, password);
    const step = passwordOk ? verifyTotp(unseal(totpKey(config), op.totp_secret_enc), code) : null;
    const replay = step !== null && op.totp_last_step !== null && step <= Number(op.totp_last_step);
    if (!passwordOk || step === null || replay) {
      const failures = op.failed_logins + 1;
      const lock = failures >= LOCK_AFTER_FAILURES;
      await trx('operators')
        .where({ id: op.id })
        .update({
          failed_logins: lock ? 0 : failures,
          locked_until: lock ? new Date(Date.now() + LOCK_MINUTES * 60_000) : op.locked_until,
        });
      await trx('operator_audit_log').insert({
        operator_id: op.id,
        action: lock ? 'operator.locked' : 'operator.login_failed',
      });
      throw fail(lock ? 'ACCOUNT_LOCKED' : passwordOk ? 'TOTP_INVALID' : 'INVALID_CREDENTIALS');
    }
    await trx('operators')
      .where({ id: op.id })
      .update({ failed_logins: 0, locked_until: null, totp_last_step: step });
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + OPERATOR_TTL_MS);
    await trx('operator_sessions').insert({
      operator_id: op.id,
      token_hash: sha256(token),
      csrf_token: csrfToken,
      expires_at: expiresAt,
      totp_verified_at: new Date(),
    });
    await trx('operator_audit_log').insert({ operator_id: op.id, action: 'operator.login' });
    return { token, csrfToken, expiresAt, operatorId: op.id as string };
  });
}

async function operatorFromToken(db: Knex, token: string): Promise<OperatorPrincipal | undefined> {
  const row = await db('operator_sessions as s')
    .join('operators as o', 'o.id', 's.operator_id')
    .where('s.token_hash', sha256(token))
    .whereNull('s.revoked_at')
    .where('s.expires_at', '>', new Date())
    .first('s.id as session_id', 's.csrf_token', 'o.id as operator_id', 'o.email');
  return row
    ? { operatorId: row.operator_id, email: row.email, sessionId: row.session_id, csrfToken: row.csrf_token }
    : undefined;
}

const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 256 }),
    totp: Type.String({ pattern: '^\\d{6}$' }),
  },
  { additionalProperties: false },
);
type LoginBody = Static<typeof LoginBody>;

function cookieOptions(app: FastifyInstance, expires?: Date) {
  return {
    path: '/operator',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: app.config.env === 'production',
    ...(expires ? { expires } : {}),
  };
}

/** Operator login/logout routes and the `requireOperator` preHandler every operator route uses. */
export async function operatorAuthRoutes(app: FastifyInstance): Promise<void> {
  app.decorateRequest('operator', undefined);
  app.decorate('requireOperator', async (req: FastifyRequest) => {
    const token = req.cookies[OPERATOR_COOKIE];
    const op = token ? await operatorFromToken(app.operatorDb, token) : undefined;
    if (!op) throw new VigieError('UNAUTHENTICATED');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !safeEqual(given, op.csrfToken))
        throw new VigieError('CSRF_TOKEN_INVALID');
    }
    req.operator = op;
  });

  app.post<{ Body: LoginBody }>(
    '/operator/login',
    {
      config: { tenant: false },
      schema: { tags: ['operators'], summary: 'Operator login (password and TOTP)', body: LoginBody },
    },
    async (req, reply) => {
      app.rateLimiter.hit(`operator-login:${req.ip}`, LIMITS.loginPerIp);
      const s = await operatorLogin(
        app.operatorDb,
        app.config,
        req.body.email,
        req.body.password,
        req.body.totp,
      );
      reply.setCookie(OPERATOR_COOKIE, s.token, cookieOptions(app, s.expiresAt));
      return { csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
    },
  );

  app.post(
    '/operator/logout',
    {
      config: { tenant: false },
      preHandler: app.requireOperator,
      schema: { tags: ['operators'], summary: 'Operator logout' },
    },
    async (req, reply) => {
      await app
        .operatorDb('operator_sessions')
        .where({ id: req.operator!.sessionId })
        .update({ revoked_at: new Date() });
      reply.clearCookie(OPERATOR_COOKIE, cookieOptions(app));
      return { ok: true };
    },
  );
}
