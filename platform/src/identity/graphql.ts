// GraphQL of the identity module: registration, verification, login, sessions,
// two-factor authentication, roles and the audit log.
import type { IResolvers, MercuriusContext } from 'mercurius';
import { fail } from './errors.js';
import { VigieError } from '../lib/errors.js';
import { suspensionBanner } from './banner.js';
import {
  checkCredentials,
  createAccount,
  grantRole,
  requestPasswordReset,
  resetPassword,
  revokeRole,
  rolesOf,
  sendEmailVerification,
  sendPhoneCode,
  verifyEmailToken,
  verifyPhoneCode,
  type AccountRow,
} from './accounts.js';
import {
  createSession,
  listSessions,
  markSecondFactor,
  revokeOtherSessions,
  revokeSession,
} from './sessions.js';
import { LIMITS } from './ratelimit.js';
import { channelMessenger, type AccountMessenger } from './messages.js';
import { audit, listAudit } from '../lib/audit.js';
import { portalUrl } from './links.js';
import { beginTotpSetup, confirmTotp, checkTotp } from './second-factor.js';
import { issueRecoveryCodes, looksLikeRecoveryCode, useRecoveryCode } from './recovery-codes.js';
import { ROLES, STAFF_ROLES, type AccountPrincipal, type Role } from './permissions.js';
import type { FastifyInstance } from 'fastify';

export const identityTypeDefs = /* GraphQL */ `
  type Branding {
    displayName: String
    primaryColor: String
    secondaryColor: String
    logoUrl: String
  }

  type Tenant {
    slug: String!
    name: String!
    inseeCode: String!
    status: String!
    "Banner shown to everyone while the commune is suspended (read-only portal)."
    banner: String
    branding: Branding!
    enabledPlugins: [String!]!
    "Background of the maps: ign (Plan IGN raster tiles, © IGN) or none (plain, offline)."
    basemap: String!
  }

  type RoleGrant {
    role: String!
    scopeId: ID
  }

  type Me {
    id: ID!
    displayName: String!
    email: String!
    phone: String
    locale: String!
    emailVerified: Boolean!
    phoneVerified: Boolean!
    roles: [RoleGrant!]!
    "verified, pending (code expected) or none (not enrolled)"
    secondFactor: String!
    "Permissions held commune-wide."
    permissions: [String!]!
    """
    Permissions held commune-wide or in at least one scope (a referent's, for their
    community): what the web front end shows. Each action is still checked with its scope.
    """
    permissionsAnyScope: [String!]!
    csrfToken: String!
  }

  type AuthPayload {
    me: Me!
    csrfToken: String!
    "Staff with two-factor authentication must call verifyTotp before using staff features."
    secondFactorRequired: Boolean!
  }

  type SessionInfo {
    id: ID!
    createdAt: String!
    expiresAt: String!
    userAgent: String
    current: Boolean!
  }

  type TotpSetup {
    secret: String!
    otpauthUri: String!
  }

  type AuditEntry {
    id: ID!
    at: String!
    actorType: String!
    actorId: ID
    action: String!
    targetType: String
    targetId: String
    meta: String!
  }

  type PermissionInfo {
    name: String!
    description: String!
    roles: [String!]!
  }

  "The languages of the portal and of the messages an account receives."
  enum Locale {
    fr
    en
  }

  input RegisterInput {
    email: String!
    password: String!
    displayName: String!
    phone: String
    locale: String
  }

  extend type Query {
    "The commune of this portal (null on the platform host)."
    tenant: Tenant
    me: Me
    mySessions: [SessionInfo!]!
    auditLog(
      limit: Int = 50
      before: ID @cursor(format: "integer")
      action: String
      actorId: ID
    ): [AuditEntry!]!
    permissionCatalogue: [PermissionInfo!]!
  }

  extend type Mutation {
    register(input: RegisterInput!): AuthPayload!
    login(email: String!, password: String!): AuthPayload!
    verifyEmail(token: String!): Boolean!
    resendEmailVerification: Boolean!
    sendPhoneCode: Boolean!
    verifyPhone(code: String!): Boolean!
    requestPasswordReset(email: String!): Boolean!
    resetPassword(token: String!, password: String!): Boolean!
    setupTotp: TotpSetup!
    enableTotp(code: String!): Boolean!
    "A code from the app, or one of the recovery codes (each accepted once)."
    verifyTotp(code: String!): Boolean!
    """
    Ten new recovery codes, shown this once (the previous ones stop working);
    for a session that has passed two-factor authentication.
    """
    issueTotpRecoveryCodes: [String!]!
    revokeSession(id: ID!): Boolean!
    revokeOtherSessions: Int!
    "The signed-in account's language: the portal's and that of every SMS, email and notification it receives."
    setMyLocale(locale: Locale!): Me!
    assignRole(accountId: ID!, role: String!, scopeId: ID): Boolean!
    removeRole(accountId: ID!, role: String!, scopeId: ID): Boolean!
  }
`;

declare module 'fastify' {
  interface FastifyInstance {
    /** The account messenger of this app: the notification channels (or the dev outbox without a provider). */
    accountMessenger(): AccountMessenger;
  }
}

/**
 * Decorates the app with its messenger, built on first use: the notifications
 * module, whose channels it sends through, registers after identity.
 */
export function decorateAccountMessenger(app: FastifyInstance): void {
  let m: AccountMessenger | undefined;
  app.decorate('accountMessenger', () => {
    m ??= channelMessenger({ channels: app.notifications.channels, log: app.log });
    return m;
  });
}

function messenger(ctx: MercuriusContext): AccountMessenger {
  return app(ctx).accountMessenger();
}

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

async function meOf(ctx: MercuriusContext, accountId: string, csrfToken: string, secondFactor: string) {
  return ctx.tx(async (trx) => {
    const a = await trx<AccountRow>('accounts').where({ id: accountId }).first();
    if (!a) throw new VigieError('UNAUTHENTICATED');
    const roles = await rolesOf(trx, a.id);
    const principal: AccountPrincipal = {
      kind: 'account',
      accountId: a.id,
      tenantId: a.tenant_id,
      displayName: a.display_name,
      roles,
      sessionId: '',
      csrfToken,
      secondFactor: secondFactor as AccountPrincipal['secondFactor'],
      emailVerified: !!a.email_verified_at,
      phoneVerified: !!a.phone_verified_at,
    };
    return {
      id: a.id,
      displayName: a.display_name,
      email: a.email,
      phone: a.phone,
      locale: a.locale,
      emailVerified: !!a.email_verified_at,
      phoneVerified: !!a.phone_verified_at,
      roles,
      secondFactor,
      permissions: [
        ...new Set(
          app(ctx)
            .permissions.held(principal)
            .filter((p) => p.scopeId === null)
            .map((p) => p.name),
        ),
      ],
      permissionsAnyScope: [
        ...new Set(
          app(ctx)
            .permissions.held(principal)
            .map((p) => p.name),
        ),
      ],
      csrfToken,
    };
  });
}

async function startSession(ctx: MercuriusContext, account: AccountRow) {
  const tenant = ctx.requireTenant();
  const { session, roles } = await ctx.tx(async (trx) => {
    const roles = await rolesOf(trx, account.id);
    return { session: await createSession(trx, account, roles, ctx.userAgent), roles };
  });
  ctx.setSessionCookie(session.token, session.expiresAt);
  const staff = roles.some((r) => STAFF_ROLES.has(r.role));
  const secondFactor = account.totp_enabled_at ? 'pending' : 'none';
  await ctx.tx((trx) =>
    audit(trx, {
      tenantId: tenant.id,
      actor: { type: 'account', id: account.id },
      action: 'auth.session_started',
      requestId: ctx.requestId,
    }),
  );
  return {
    me: await meOf(ctx, account.id, session.csrfToken, secondFactor),
    csrfToken: session.csrfToken,
    secondFactorRequired: staff && !!account.totp_enabled_at,
  };
}

export const identityResolvers: IResolvers = {
  Query: {
    tenant: (_r, _a, ctx) => {
      const t = ctx.tenant;
      if (!t) return null;
      const b = t.branding as Record<string, string | undefined>;
      return {
        slug: t.slug,
        name: t.name,
        inseeCode: t.inseeCode,
        status: t.status,
        banner: suspensionBanner(t, ctx.reply?.request.locale() ?? 'fr'),
        branding: {
          displayName: b.displayName ?? t.name,
          primaryColor: b.primaryColor ?? null,
          secondaryColor: b.secondaryColor ?? null,
          // Stored as `logo` (a data: URL, see tenants/validate.ts); `logoUrl` for older rows.
          logoUrl: b.logo ?? b.logoUrl ?? null,
        },
        enabledPlugins: [...t.plugins.keys()].sort(),
        basemap: app(ctx).config.basemap,
      };
    },
    me: async (_r, _a, ctx) =>
      ctx.principal
        ? meOf(ctx, ctx.principal.accountId, ctx.principal.csrfToken, ctx.principal.secondFactor)
        : null,
    mySessions: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      const rows = await ctx.tx((trx) => listSessions(trx, p.accountId));
      return rows.map((s) => ({
        id: s.id,
        createdAt: s.created_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        userAgent: s.user_agent,
        current: s.id === p.sessionId,
      }));
    },
    auditLog: async (
      _r,
      args: { limit: number; before?: string; action?: string; actorId?: string },
      ctx,
    ) => {
      ctx.authorize('core.audit.read');
      const rows = await ctx.tx((trx) =>
        listAudit(trx, {
          limit: args.limit,
          before: args.before ? Number(args.before) : undefined,
          action: args.action,
          actorId: args.actorId,
        }),
      );
      return rows.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        meta: JSON.stringify(r.meta),
      }));
    },
    permissionCatalogue: (_r, _a, ctx) => app(ctx).permissions.list(),
  },
  Mutation: {
    register: async (
      _r,
      {
        input,
      }: { input: { email: string; password: string; displayName: string; phone?: string; locale?: string } },
      ctx,
    ) => {
      const tenant = ctx.requireTenant();
      ctx.rateLimit('register', ctx.ip, LIMITS.registerPerIp);
      const locale = input.locale === 'en' ? 'en' : 'fr';
      const account = await ctx.tx(async (trx) => {
        const a = await createAccount(trx, tenant.id, {
          email: input.email,
          password: input.password,
          displayName: input.displayName,
          phone: input.phone ?? null,
          locale,
        });
        const links = { portalUrl: portalUrl(app(ctx).config, tenant.slug) };
        await sendEmailVerification(trx, a, messenger(ctx), links);
        if (a.phone) await sendPhoneCode(trx, a, messenger(ctx));
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: a.id },
          action: 'auth.registered',
          requestId: ctx.requestId,
        });
        return a;
      });
      return startSession(ctx, account);
    },
    login: async (_r, { email, password }: { email: string; password: string }, ctx) => {
      const tenant = ctx.requireTenant();
      ctx.rateLimit('login-ip', ctx.ip, LIMITS.loginPerIp);
      ctx.rateLimit('login-account', `${tenant.id}:${email.trim().toLowerCase()}`, LIMITS.loginPerAccount);
      // Failures are recorded (counter, lock, audit) even though the login is refused.
      const outcome = await ctx.tx(async (trx) => {
        try {
          return { account: await checkCredentials(trx, tenant.id, email, password, ctx.requestId) };
        } catch (err) {
          return { error: err };
        }
      });
      if ('error' in outcome) throw outcome.error;
      return startSession(ctx, outcome.account);
    },
    logout: async (_r, _a, ctx) => {
      const p = ctx.principal;
      if (p)
        await ctx.tx(async (trx) => {
          await revokeSession(trx, p.sessionId, p.accountId);
          await audit(trx, {
            tenantId: p.tenantId,
            actor: { type: 'account', id: p.accountId },
            action: 'auth.logout',
            requestId: ctx.requestId,
          });
        });
      ctx.setSessionCookie(null);
      return true;
    },
    verifyEmail: async (_r, { token }: { token: string }, ctx) => {
      ctx.requireTenant();
      ctx.rateLimit('verify-email', ctx.ip, LIMITS.codePerAccount);
      await ctx.tx((trx) => verifyEmailToken(trx, token));
      return true;
    },
    resendEmailVerification: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      ctx.rateLimit('resend-email', p.accountId, LIMITS.codePerAccount);
      await ctx.tx(async (trx) => {
        const a = await trx<AccountRow>('accounts').where({ id: p.accountId }).first();
        if (a?.email && !a.email_verified_at)
          await sendEmailVerification(trx, { ...a, email: a.email }, messenger(ctx), {
            portalUrl: portalUrl(app(ctx).config, tenant.slug),
          });
      });
      return true;
    },
    sendPhoneCode: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      ctx.rateLimit('phone-code', p.accountId, LIMITS.codePerAccount);
      await ctx.tx(async (trx) => {
        const a = await trx<AccountRow>('accounts').where({ id: p.accountId }).first();
        if (a) await sendPhoneCode(trx, a, messenger(ctx));
      });
      return true;
    },
    verifyPhone: async (_r, { code }: { code: string }, ctx) => {
      const p = ctx.requireAccount();
      await ctx.tx((trx) => verifyPhoneCode(trx, p.accountId, code));
      return true;
    },
    requestPasswordReset: async (_r, { email }: { email: string }, ctx) => {
      const tenant = ctx.requireTenant();
      ctx.rateLimit('reset', ctx.ip, LIMITS.resetPerIp);
      await ctx.tx((trx) =>
        requestPasswordReset(trx, tenant.id, email, messenger(ctx), {
          portalUrl: portalUrl(app(ctx).config, tenant.slug),
        }),
      );
      return true;
    },
    resetPassword: async (_r, { token, password }: { token: string; password: string }, ctx) => {
      ctx.requireTenant();
      ctx.rateLimit('reset', ctx.ip, LIMITS.resetPerIp);
      await ctx.tx((trx) => resetPassword(trx, token, password));
      return true;
    },
    setupTotp: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      return ctx.tx((trx) => beginTotpSetup(trx, app(ctx).config, p));
    },
    enableTotp: async (_r, { code }: { code: string }, ctx) => {
      const p = ctx.requireAccount();
      ctx.rateLimit('totp', p.accountId, LIMITS.codePerAccount);
      await ctx.tx(async (trx) => {
        await confirmTotp(trx, app(ctx).config, p, code);
        await markSecondFactor(trx, p.sessionId);
        await audit(trx, {
          tenantId: p.tenantId,
          actor: { type: 'account', id: p.accountId },
          action: 'auth.totp_enabled',
          requestId: ctx.requestId,
        });
      });
      return true;
    },
    verifyTotp: async (_r, { code }: { code: string }, ctx) => {
      const p = ctx.requireAccount();
      ctx.rateLimit('totp', p.accountId, LIMITS.codePerAccount);
      const ok = await ctx.tx(async (trx) => {
        // A lost phone must not lock the police out: a recovery code stands in for the app's, once.
        const recovery = looksLikeRecoveryCode(code);
        const ok = recovery
          ? await useRecoveryCode(trx, app(ctx).config.secret, p.accountId, code)
          : await checkTotp(trx, app(ctx).config, p.accountId, code);
        if (ok) await markSecondFactor(trx, p.sessionId);
        await audit(trx, {
          tenantId: p.tenantId,
          actor: { type: 'account', id: p.accountId },
          action: ok ? (recovery ? 'auth.totp_recovery_used' : 'auth.totp_verified') : 'auth.totp_failed',
          requestId: ctx.requestId,
        });
        return ok;
      });
      if (!ok) throw fail('TOTP_INVALID');
      return true;
    },
    issueTotpRecoveryCodes: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      if (p.secondFactor !== 'verified') throw new VigieError('TOTP_REQUIRED');
      return ctx.tx(async (trx) => {
        const codes = await issueRecoveryCodes(trx, app(ctx).config.secret, p);
        await audit(trx, {
          tenantId: p.tenantId,
          actor: { type: 'account', id: p.accountId },
          action: 'auth.totp_recovery_issued',
          requestId: ctx.requestId,
        });
        return codes;
      });
    },
    revokeSession: async (_r, { id }: { id: string }, ctx) => {
      const p = ctx.requireAccount();
      const done = await ctx.tx(async (trx) => {
        const own = await revokeSession(trx, id, p.accountId);
        if (own) return true;
        // Revoking someone else's session is a staff action.
        ctx.authorize('core.session.revoke_any');
        const other = await revokeSession(trx, id);
        if (other)
          await audit(trx, {
            tenantId: p.tenantId,
            actor: { type: 'account', id: p.accountId },
            action: 'auth.session_revoked',
            target: { type: 'session', id },
            requestId: ctx.requestId,
          });
        return other;
      });
      if (!done) throw fail('SESSION_NOT_FOUND');
      return true;
    },
    revokeOtherSessions: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      return ctx.tx((trx) => revokeOtherSessions(trx, p.accountId, p.sessionId));
    },
    setMyLocale: async (_r, args: { locale: 'fr' | 'en' }, ctx) => {
      const p = ctx.requireAccount();
      // The enum already refuses anything else; the check keeps a direct call from storing junk.
      if (args.locale !== 'fr' && args.locale !== 'en')
        throw new VigieError('VALIDATION_FAILED', `Langue inconnue : ${String(args.locale)}`);
      await ctx.tx((trx) =>
        trx('accounts').where({ id: p.accountId }).update({ locale: args.locale, updated_at: trx.fn.now() }),
      );
      return meOf(ctx, p.accountId, p.csrfToken, p.secondFactor);
    },
    assignRole: async (_r, args: { accountId: string; role: string; scopeId?: string | null }, ctx) => {
      ctx.authorize('core.role.assign');
      const p = ctx.requireAccount();
      if (!ROLES.includes(args.role as Role))
        throw new VigieError('VALIDATION_FAILED', `Rôle inconnu : ${args.role}`);
      await ctx.tx(async (trx) => {
        const target = await trx('accounts').where({ id: args.accountId }).first('id');
        if (!target) throw new VigieError('NOT_FOUND');
        await grantRole(
          trx,
          p.tenantId,
          args.accountId,
          args.role as Role,
          args.scopeId ?? null,
          p.accountId,
        );
        await audit(trx, {
          tenantId: p.tenantId,
          actor: { type: 'account', id: p.accountId },
          action: 'role.granted',
          target: { type: 'account', id: args.accountId },
          meta: { role: args.role, scopeId: args.scopeId ?? null },
          requestId: ctx.requestId,
        });
      });
      return true;
    },
    removeRole: async (_r, args: { accountId: string; role: string; scopeId?: string | null }, ctx) => {
      ctx.authorize('core.role.assign');
      const p = ctx.requireAccount();
      const n = await ctx.tx(async (trx) => {
        const n = await revokeRole(trx, args.accountId, args.role as Role, args.scopeId ?? null);
        if (n)
          await audit(trx, {
            tenantId: p.tenantId,
            actor: { type: 'account', id: p.accountId },
            action: 'role.revoked',
            target: { type: 'account', id: args.accountId },
            meta: { role: args.role, scopeId: args.scopeId ?? null },
            requestId: ctx.requestId,
          });
        return n;
      });
      if (!n) throw new VigieError('NOT_FOUND');
      return true;
    },
  },
};
