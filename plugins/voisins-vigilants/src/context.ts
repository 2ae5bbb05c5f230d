// Helpers every resolver of the plugin uses: the commune, the plugin's
// settings, audit entries and in-app notifications, all through the platform's
// public services.
import type { NotifyInput, PlatformServices, Trx, VigieContext } from '@vigie/platform/plugin';
import { PLUGIN_ID, settingsFrom, type VoisinsVigilantsSettings } from './settings.js';

export function settingsOf(ctx: VigieContext): VoisinsVigilantsSettings {
  return settingsFrom(ctx.requireTenant().plugins.get(PLUGIN_ID));
}

export interface Recorded {
  /** Without the `voisins-vigilants.` prefix, e.g. `membership.approved`. */
  action: string;
  communityId: string;
  target?: { type: string; id: string };
  meta?: Record<string, unknown>;
  /**
   * Referent actions carry `byReferent`, so that the community's referents see
   * each other's actions (referentActivity) and the mairie can check them.
   */
  asReferent?: boolean;
}

/** Appends to the commune's audit log, in the caller's transaction. */
export async function record(ctx: VigieContext, trx: Trx, r: Recorded): Promise<void> {
  const account = ctx.requireAccount();
  await ctx.services.audit(trx, {
    tenantId: account.tenantId,
    actor: { type: 'account', id: account.accountId },
    action: `${PLUGIN_ID}.${r.action}`,
    ...(r.target ? { target: r.target } : {}),
    meta: { communityId: r.communityId, ...(r.asReferent ? { byReferent: true } : {}), ...r.meta },
    requestId: ctx.requestId,
  });
}

/**
 * What a notification says, French first and English beside it: the plugin
 * cannot see an account's language, the platform picks one per recipient.
 */
export interface Wording {
  title: string;
  body: string;
  en: { title: string; body: string };
}

export type Notice = Omit<NotifyInput, 'kind' | 'title' | 'body' | 'en'> & Wording & { kind: string };

/** In-app notification; `kind` is namespaced by the plugin so the inbox can group them. */
export async function notify(services: PlatformServices, trx: Trx, n: Notice): Promise<void> {
  if (n.accountIds.length === 0) return;
  await services.notify(trx, { ...n, kind: `${PLUGIN_ID}.${n.kind}` });
}

export function iso(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

export function excerpt(text: string, max = 280): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
