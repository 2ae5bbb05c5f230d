// An SMS texted to the commune's number. The webhook (notifications) has
// checked Twilio's signature and recorded the MessageSid; here the commune is
// found from the number that was texted (tenants.settings.sms.number), the
// sender from their verified phone, and the text becomes an alert in their
// community. `inbound_sms` remembers each MessageSid with the answer given,
// so a retried webhook answers the same and creates nothing twice.
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import { withTenant } from '../db/index.js';
import { audit } from '../lib/audit.js';
import { portalUrl } from '../identity/index.js';
import { clearOptOut, recordOptOut } from '../notifications/index.js';
import type { InboundSms, InboundSmsHandler } from '../notifications/index.js';
import { VigieError } from '../lib/errors.js';
import { alertRef, communityOf, createAlert, parseRaiseAlertInput, type Alert } from './alerts.js';
import { inboundReplies, type Locale } from './messages.js';
import { alertSettings, ALERT_DEFAULTS } from './settings.js';
import type { TenantRef } from './starter.js';
import type { SmsReplyClaim, SmsReplyHandler } from '../core/sms-replies.js';

/** Alerts by SMS per sender in ten minutes: enough for a follow-up, not for a flood. */
const SMS_ALERTS_PER_10_MIN = 3;

export interface InboundDeps {
  db: Knex;
  config: Config;
  log: FastifyBaseLogger;
  /** Starts the delivery and tells the police, once the alert is committed. */
  onAlert(tenant: TenantRef, alert: Alert): Promise<void>;
  /** Answers that modules and plugins expect (core/sms-replies.ts), claimed before a text becomes an alert. */
  replies?: () => readonly SmsReplyHandler[];
}

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  settings: Record<string, unknown>;
}

type Outcome =
  'alert' | 'reply' | 'unknown' | 'no_community' | 'rate_limited' | 'stop' | 'start' | 'help' | 'empty';

export async function tenantByNumber(db: Knex, number: string): Promise<TenantRow | undefined> {
  return (await db('tenants')
    .whereRaw("settings #>> '{sms,number}' = ?", [number])
    .first('id', 'slug', 'name', 'settings')) as TenantRow | undefined;
}

async function senderAccount(
  trx: Knex.Transaction,
  phone: string,
): Promise<{ id: string; locale: Locale } | undefined> {
  return (await trx('accounts')
    .where({ phone, status: 'active' })
    .whereNotNull('phone_verified_at')
    .orderBy('phone_verified_at', 'desc')
    .first('id', 'locale')) as { id: string; locale: Locale } | undefined;
}

export function inboundSmsHandler(deps: InboundDeps): InboundSmsHandler {
  return async (sms) => {
    const tenant = await tenantByNumber(deps.db, sms.to);
    if (!tenant) return { reply: inboundReplies.noCommune() };
    const result = await withTenant(deps.db, tenant.id, (trx) => handle(trx, deps, tenant, sms));
    if (result.alert) await deps.onAlert({ id: tenant.id, slug: tenant.slug }, result.alert);
    if (result.afterCommit)
      await result
        .afterCommit()
        .catch((err: unknown) =>
          deps.log.warn({ tenantId: tenant.id, err: (err as Error).name }, 'after an SMS reply'),
        );
    return { reply: result.reply };
  };
}

async function handle(
  trx: Knex.Transaction,
  deps: InboundDeps,
  tenant: TenantRow,
  sms: InboundSms,
): Promise<{ reply: string; alert: Alert | null; afterCommit?: () => Promise<void> }> {
  const seen = (await trx('inbound_sms').where({ message_sid: sms.messageSid }).first('reply')) as
    { reply: string | null } | undefined;
  if (seen) return { reply: seen.reply ?? '', alert: null };
  const account = await senderAccount(trx, sms.from);
  const portal = portalUrl(deps.config, tenant.slug);
  let outcome: Outcome;
  let reply: string;
  let alert: Alert | null = null;
  let claim: SmsReplyClaim | null = null;
  if (sms.keyword === 'STOP') {
    // The law and Twilio both expect STOP to hold for any sender, registered or not.
    await recordOptOut(trx, tenant.id, {
      channel: 'sms',
      address: sms.from,
      reason: 'stop_keyword',
      source: 'twilio-inbound',
      accountId: account?.id ?? null,
    });
    [outcome, reply] = ['stop', inboundReplies.stop(tenant.name)];
  } else if (sms.keyword === 'START') {
    await clearOptOut(trx, 'sms', sms.from);
    [outcome, reply] = ['start', inboundReplies.start(tenant.name)];
  } else if (sms.keyword === 'HELP') {
    [outcome, reply] = ['help', inboundReplies.help(tenant.name, portal)];
  } else if (!account) {
    // A number that is no account may be answering a text it was sent (a call by SMS).
    claim = sms.body.trim() === '' ? null : await claimReply(trx, deps, tenant, null, sms);
    [outcome, reply] = claim
      ? ['reply', claim.reply]
      : ['unknown', inboundReplies.unknownNumber(tenant.name, portal)];
  } else if (sms.body.trim() === '') {
    [outcome, reply] = ['empty', inboundReplies.empty(tenant.name)];
  } else if ((claim = await claimReply(trx, deps, tenant, account, sms))) {
    [outcome, reply] = ['reply', claim.reply];
  } else {
    const community = await communityOf(trx, account.id);
    if (!community)
      [outcome, reply] = ['no_community', inboundReplies.noCommunity(tenant.name, account.locale)];
    else if (await tooManyRecent(trx, account.id))
      [outcome, reply] = ['rate_limited', inboundReplies.rateLimited(tenant.name, account.locale)];
    else {
      alert = await alertFromSms(trx, tenant, account.id, community, sms.body);
      [outcome, reply] = [
        'alert',
        inboundReplies.acknowledged(tenant.name, alertRef(alert.id), account.locale),
      ];
      await audit(trx, {
        tenantId: tenant.id,
        actor: { type: 'account', id: account.id },
        action: 'alert.raised',
        target: { type: 'alert', id: alert.id },
        meta: { origin: 'sms', severity: alert.severity },
      });
    }
  }
  await trx('inbound_sms').insert({
    tenant_id: tenant.id,
    message_sid: sms.messageSid,
    account_id: account?.id ?? null,
    alert_id: alert?.id ?? null,
    outcome,
    reply,
  });
  return { reply, alert, ...(claim?.afterCommit ? { afterCommit: claim.afterCommit } : {}) };
}

/** The first module or plugin (enabled for the commune) that expects this text as an answer. */
async function claimReply(
  trx: Knex.Transaction,
  deps: InboundDeps,
  tenant: TenantRow,
  account: { id: string; locale: Locale } | null,
  sms: InboundSms,
): Promise<SmsReplyClaim | null> {
  const handlers = deps.replies?.() ?? [];
  if (handlers.length === 0) return null;
  const enabled = new Set<string>(await trx('tenant_plugins').where({ enabled: true }).pluck('plugin_id'));
  for (const h of handlers) {
    if (h.pluginId && !enabled.has(h.pluginId)) continue;
    const claim = await h.claim(trx, {
      tenantId: tenant.id,
      accountId: account?.id ?? null,
      from: sms.from,
      body: sms.body,
      locale: account?.locale ?? 'fr',
    });
    if (claim) return claim;
  }
  return null;
}

async function tooManyRecent(trx: Knex.Transaction, accountId: string): Promise<boolean> {
  const r = (await trx('alerts')
    .where({ author_account_id: accountId, origin: 'sms' })
    .where('created_at', '>', new Date(Date.now() - 10 * 60_000))
    .count('* as n')
    .first()) as { n: number };
  return Number(r.n) >= SMS_ALERTS_PER_10_MIN;
}

async function alertFromSms(
  trx: Knex.Transaction,
  tenant: TenantRow,
  accountId: string,
  community: string,
  body: string,
): Promise<Alert> {
  const s = alertSettings(tenant.settings);
  const text = body
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, 1000);
  const make = (category: string) =>
    createAlert(trx, tenant.id, {
      author: { accountId, kind: 'resident' },
      origin: 'sms',
      target: { kind: 'community', sectorIds: [community] },
      input: parseRaiseAlertInput({ category, severity: s.smsSeverity, text }),
    });
  try {
    return await make(s.smsCategory);
  } catch (err) {
    // A commune that retired its SMS category still gets the alert, as an incident.
    if (
      err instanceof VigieError &&
      err.code === 'ALERT_CATEGORY_UNKNOWN' &&
      s.smsCategory !== ALERT_DEFAULTS.smsCategory
    )
      return make(ALERT_DEFAULTS.smsCategory);
    throw err;
  }
}
