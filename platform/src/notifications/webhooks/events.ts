// Webhook idempotency: providers retry, attackers replay. A provider event id
// is recorded once in webhook_events (platform table, ids only, purged by the
// retention sweep) inside the transaction that acts on it.
import type { Knex } from 'knex';

/** True the first time this event is seen; false for a retry or a replay. Waits for a concurrent twin to commit or roll back. */
export async function recordWebhookEvent(
  trx: Knex.Transaction,
  provider: string,
  eventId: string,
  tenantId: string | null,
): Promise<boolean> {
  const res = await trx.raw(
    'insert into webhook_events (provider, event_id, tenant_id) values (?, ?, ?) on conflict do nothing returning event_id',
    [provider, eventId, tenantId],
  );
  return res.rows.length > 0;
}

/** Several events of one commune at once; returns the ids seen for the first time (each once). */
export async function recordWebhookEvents(
  trx: Knex.Transaction,
  provider: string,
  eventIds: readonly string[],
  tenantId: string | null,
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const res = await trx.raw(
    `insert into webhook_events (provider, event_id, tenant_id)
     select ?, e, ? from unnest(?::text[]) as e
     on conflict do nothing returning event_id`,
    [provider, tenantId, [...new Set(eventIds)]],
  );
  return new Set((res.rows as Array<{ event_id: string }>).map((r) => r.event_id));
}
