// The billing activities: the end of a grace period, and the daily sweep that
// catches a grace timer lost before it started and tells the mairie admins of a
// renewal 60 days ahead (no tacit renewal trap).
import type { Knex } from 'knex';
import type { BillingActivities, BillingGraceResult } from '@vigie/workflows/contracts';
import type { ActivityDeps } from '../temporal/index.js';
import { applyBillingEvent, noticeAdmins, type BillingDeps } from './apply.js';
import { formatDate, formatEuros } from './messages.js';
import type { PriceList } from './price-list.js';

export const RENEWAL_NOTICE_DAYS = 60;

/** Starts a cancelled commune's deletion workflow (apply.ts planDeletion, with the worker's client). */
export type StartDeletion = (tenant: { id: string; slug: string }, cancelledAt: Date) => Promise<void>;

export function createBillingActivities(
  deps: BillingDeps,
  priceList: PriceList,
  startDeletion?: StartDeletion,
): BillingActivities {
  return {
    async billingGraceExpired({ tenantId, invoiceId }): Promise<BillingGraceResult> {
      const r = await applyBillingEvent(deps, tenantId, { type: 'grace.expired', invoiceId });
      if (r.decision?.action === 'billing.suspended') return 'suspended';
      const row = await deps.db('billing_accounts').where({ tenant_id: tenantId }).first('state');
      return row?.state === 'active' ? 'paid' : 'unchanged';
    },

    async billingSweep({ asOf }) {
      const now = new Date(asOf);
      const overdue: string[] = await deps
        .db('billing_accounts')
        .where({ state: 'past_due' })
        .where('grace_until', '<=', now)
        .pluck('tenant_id');
      let suspended = 0;
      for (const tenantId of overdue) {
        const r = await applyBillingEvent(
          deps,
          tenantId,
          { type: 'grace.expired', invoiceId: 'sweep' },
          { now },
        );
        if (r.decision?.action === 'billing.suspended') suspended++;
      }
      const renewalNotices = await sendRenewalNotices(deps.db, priceList, now);
      // A deletion is planned by its workflow's first step: none yet an hour on means its start was lost.
      const unplanned: Array<{ tenant_id: string; slug: string; updated_at: Date }> = startDeletion
        ? await deps
            .db('billing_accounts as b')
            .join('tenants as t', 't.id', 'b.tenant_id')
            .where('b.state', 'cancelled')
            .whereNull('b.deletion_due_at')
            .whereNull('b.data_deleted_at')
            .where('b.updated_at', '<', new Date(now.getTime() - 3_600_000))
            .select('b.tenant_id', 't.slug', 'b.updated_at')
        : [];
      for (const u of unplanned)
        await startDeletion!({ id: u.tenant_id, slug: u.slug }, new Date(u.updated_at));
      return { suspended, renewalNotices, deletionsStarted: unplanned.length };
    },
  };
}

/** Once per term: the renewal date and the yearly price, to every mairie admin. */
export async function sendRenewalNotices(db: Knex, priceList: PriceList, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + RENEWAL_NOTICE_DAYS * 86_400_000);
  const due: Array<{ tenant_id: string; tier: string | null; current_period_end: Date }> = await db(
    'billing_accounts',
  )
    .whereIn('state', ['active', 'past_due'])
    .where({ cancel_at_period_end: false })
    .whereBetween('current_period_end', [now, horizon])
    .where((q) => q.whereNull('renewal_notice_for').orWhereRaw('renewal_notice_for <> current_period_end'))
    .select('tenant_id', 'tier', 'current_period_end');
  let sent = 0;
  for (const r of due) {
    const tier = priceList.tiers.find((t) => t.id === r.tier);
    const end = new Date(r.current_period_end);
    const ttc = tier ? Math.round(tier.yearlyPriceCents * (1 + priceList.vatRate)) : 0;
    const key = `billing.renewal_notice:${end.toISOString()}`;
    // Each admin's notice in their language; the dedupe key makes a rerun harmless.
    for (const locale of ['fr', 'en'] as const) {
      await noticeAdmins(
        db,
        r.tenant_id,
        'billing.renewal_notice',
        `${key}:${locale}`,
        null,
        {
          renewalDate: formatDate(end, locale),
          price: tier
            ? locale === 'fr'
              ? `${formatEuros(tier.yearlyPriceCents, locale)} HT (${formatEuros(ttc, locale)} TTC)`
              : `${formatEuros(tier.yearlyPriceCents, locale)} excl. VAT (${formatEuros(ttc, locale)} incl. VAT)`
            : '',
        },
        locale,
      );
    }
    await db('billing_accounts').where({ tenant_id: r.tenant_id }).update({ renewal_notice_for: end });
    sent++;
  }
  return sent;
}

export function billingActivityDeps(deps: ActivityDeps, operatorDb: Knex): BillingDeps {
  return {
    operatorDb,
    db: deps.db,
    temporal: undefined,
    graceDays: deps.config.billingGraceDays,
    log: deps.log,
  };
}
