// The first mairie admin of a commune. The operator names them by email; the
// account is created without a password, with the mairie_admin role, and the
// person receives a link to choose their password (then sets up TOTP, like
// every staff member, before using staff features).
//
// Accounts are reached with the app role (the operator role has no grant on
// them), so this runs after the commune's own transaction, in its own one. It
// is idempotent: an existing admin is left alone, an existing account without
// the role gets it, and a failed invitation is retried by the next apply.
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import { withTenant } from '../db/index.js';
import { createAccount, grantRole, sendInvitation } from '../identity/index.js';
import pino from 'pino';
import { channelMessenger, type AccountMessenger } from '../identity/index.js';
import { createChannels } from '../notifications/index.js';
import { portalUrl } from '../identity/index.js';
import { recordOperatorEvent, recordTenantLog, type Actor } from './audit.js';

export interface MairieAdmin {
  email: string;
  displayName: string;
}

export type FirstAdminState = 'exists' | 'grant' | 'invite';

export interface InviteDeps {
  db: Knex;
  operatorDb: Knex;
  config: Config;
  /** Defaults to the configured channels (the dev outbox without a provider). */
  messenger?: AccountMessenger;
}

/** What inviteMairieAdmin would do. `db` is the app pool. */
export async function firstAdminState(db: Knex, tenantId: string, email: string): Promise<FirstAdminState> {
  return withTenant(db, tenantId, (trx) => stateIn(trx, email).then((s) => s.state));
}

async function stateIn(
  trx: Knex.Transaction,
  email: string,
): Promise<{ state: FirstAdminState; accountId?: string }> {
  const account: { id: string } | undefined = await trx('accounts')
    .whereRaw('lower(email) = ?', [email.toLowerCase()])
    .whereNot('status', 'deleted')
    .first('id');
  if (!account) return { state: 'invite' };
  const role = await trx('role_assignments')
    .where({ account_id: account.id, role: 'mairie_admin' })
    .first('id');
  return { state: role ? 'exists' : 'grant', accountId: account.id };
}

function defaultMessenger(deps: InviteDeps): AccountMessenger {
  return channelMessenger({
    channels: createChannels(deps.config, { db: deps.db }),
    log: pino({ name: 'vigie' }),
  });
}

export async function inviteMairieAdmin(
  deps: InviteDeps,
  tenant: { id: string; slug: string },
  admin: MairieAdmin,
  actor: Actor,
  requestId?: string,
): Promise<'exists' | 'granted' | 'invited'> {
  const outcome = await withTenant(deps.db, tenant.id, async (trx) => {
    const { state, accountId } = await stateIn(trx, admin.email);
    if (state === 'exists') return { done: 'exists' as const, accountId: accountId! };
    let id = accountId;
    if (state === 'grant') {
      await grantRole(trx, tenant.id, id!, 'mairie_admin', null, actor.type === 'account' ? actor.id : null);
    } else {
      const account = await createAccount(trx, tenant.id, {
        email: admin.email,
        displayName: admin.displayName,
        roles: [{ role: 'mairie_admin' }],
      });
      id = account.id;
      const name = (await trx('tenants').where({ id: tenant.id }).first('name'))?.name ?? tenant.slug;
      await sendInvitation(
        trx,
        account,
        deps.messenger ?? defaultMessenger(deps),
        { portalUrl: portalUrl(deps.config, tenant.slug) },
        name,
      );
    }
    const done = state === 'grant' ? ('granted' as const) : ('invited' as const);
    await recordTenantLog(trx, actor, {
      tenantId: tenant.id,
      action: 'tenant.admin_invited',
      meta: { accountId: id, outcome: done },
      ...(requestId ? { requestId } : {}),
    });
    return { done, accountId: id! };
  });
  if (outcome.done !== 'exists' && actor.type !== 'account') {
    await recordOperatorEvent(deps.operatorDb, actor, {
      tenantId: tenant.id,
      action: 'tenant.admin_invited',
      meta: { accountId: outcome.accountId, outcome: outcome.done },
    });
  }
  return outcome.done;
}
