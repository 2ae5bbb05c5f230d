// The hourly activity of SMS usage: the Stripe client is made once per worker,
// the first time it is needed (most workers of a deployment without billing never load the SDK).
import { heartbeat } from '@temporalio/activity';
import type Stripe from 'stripe';
import type { BillingSmsUsageActivities } from '@vigie/workflows/contracts';
import type { ActivityDeps } from '../temporal/index.js';
import type { PriceList } from './price-list.js';
import { reportSmsUsage } from './sms-meter.js';
import { createStripe } from './stripe.js';

export function createSmsMeterActivities(
  deps: Pick<ActivityDeps, 'db' | 'config' | 'log'>,
  priceList: PriceList,
  stripe?: Stripe,
): BillingSmsUsageActivities {
  let client: Promise<Stripe | undefined> | undefined = stripe ? Promise.resolve(stripe) : undefined;
  return {
    async billingReportSmsUsage({ asOf }) {
      client ??= createStripe(deps.config.stripe);
      return reportSmsUsage(
        { db: deps.db, stripe: await client, priceList, log: deps.log, heartbeat: () => heartbeat() },
        new Date(asOf),
      );
    },
  };
}
