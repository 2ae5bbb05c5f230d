// « J'ai vu aussi » and « Je peux aider »: neighbours of the alert's community
// answer a neighbour's alert, once per kind. The author is told in the app;
// the police read them on the alert (Alert.reactions).
import { type PlatformAlert, type Trx, type VigieContext } from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { notify, record } from '../context.js';
import { requireMember } from '../community/membership.js';
import { asId } from '../validate.js';
import { reactionNotice } from './texts.js';

export const P_REACT = 'voisins-vigilants.alert.react';

export type ReactionKind = 'seen_too' | 'can_help';

/** A neighbour's alert to this community: raised by a resident for their own community. */
export function isNeighbourAlertOf(alert: PlatformAlert, communityId: string): boolean {
  return (
    alert.authorKind === 'resident' &&
    alert.targetKind === 'community' &&
    alert.targetSectorIds.includes(communityId)
  );
}

export async function reactToAlert(
  ctx: VigieContext,
  trx: Trx,
  rawId: unknown,
  kind: ReactionKind,
): Promise<PlatformAlert> {
  const alertId = asId(rawId, 'NEIGHBOUR_ALERT_NOT_FOUND');
  const { account, community } = await requireMember(ctx, trx);
  ctx.authorize(P_REACT, { communityId: community.id });
  const alert = await ctx.services.alerts.get(trx, alertId);
  // Another community's alert answers as if it did not exist: ids are not probes.
  if (!alert || !isNeighbourAlertOf(alert, community.id)) throw fail('NEIGHBOUR_ALERT_NOT_FOUND');
  if (alert.authorAccountId === account.accountId) throw fail('NEIGHBOUR_ALERT_OWN');
  if (alert.status === 'closed') throw fail('NEIGHBOUR_ALERT_CLOSED');
  const inserted = await trx('vv_alert_reactions')
    .insert({ tenant_id: account.tenantId, alert_id: alert.id, account_id: account.accountId, kind })
    .onConflict(['tenant_id', 'alert_id', 'account_id', 'kind'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return alert;
  await record(ctx, trx, {
    action: `alert.${kind}`,
    communityId: community.id,
    target: { type: 'alert', id: alert.id },
  });
  if (alert.authorAccountId) {
    const text = reactionNotice(kind, account.displayName, alert.id.slice(0, 8).toUpperCase());
    await notify(ctx.services, trx, {
      tenantId: account.tenantId,
      accountIds: [alert.authorAccountId],
      kind: `alert.${kind}`,
      ...text,
      link: `/alertes/${alert.id}`,
      meta: { alertId: alert.id, reaction: kind },
      dedupeKey: `vv-reaction:${alert.id}:${kind}:${account.accountId}`,
    });
  }
  return alert;
}

export interface ReactionCounts {
  seenToo: number;
  canHelp: number;
}

/** Counts per alert, and who reacted (for the author and the police). */
export async function reactionsOf(
  trx: Trx,
  alertIds: readonly string[],
): Promise<Map<string, Array<{ accountId: string; kind: ReactionKind; at: Date }>>> {
  const out = new Map<string, Array<{ accountId: string; kind: ReactionKind; at: Date }>>(
    alertIds.map((id) => [id, []]),
  );
  if (alertIds.length === 0) return out;
  const rows = (await trx('vv_alert_reactions')
    .whereIn('alert_id', [...new Set(alertIds)])
    .orderBy(['created_at', 'id'])
    .select('alert_id', 'account_id', 'kind', 'created_at')) as Array<{
    alert_id: string;
    account_id: string;
    kind: ReactionKind;
    created_at: Date;
  }>;
  for (const r of rows)
    out.get(r.alert_id)?.push({ accountId: r.account_id, kind: r.kind, at: r.created_at });
  return out;
}
