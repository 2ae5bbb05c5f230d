// The resident's side and the police's decision: declaring (online or at the
// counter), changing the dates, returning early, cancelling, validating or
// refusing. Every change is audited, reaches the police or the resident, and
// is signalled to the absence's workflow once it has committed.
import type { PlatformServices, Trx, VigieContext } from '@vigie/platform/plugin';
import { fail } from './errors.js';
import {
  checkRules,
  communeAddress,
  count,
  DETAIL_KEYS,
  isId,
  parseInput,
  policeOf,
  residenceOf,
  SEALED,
  AbsenceInput,
  type AbsenceRow,
  type Details,
} from './model.js';
import { PLUGIN_ID, settingsFrom, type TranquilliteSettings } from './settings.js';
import { texts, type Wording } from './texts.js';
import {
  ABSENCE_CHANGED_SIGNAL,
  ABSENCE_WATCH_KIND,
  ABSENCE_WATCH_WORKFLOW,
  type AbsenceWatchInput,
} from './workflows/contract.js';
import { Type } from '@sinclair/typebox';

export const settingsOf = (ctx: VigieContext): TranquilliteSettings =>
  settingsFrom(ctx.requireTenant().plugins.get(PLUGIN_ID));

export async function audit(
  ctx: VigieContext,
  trx: Trx,
  action: string,
  absenceId: string | null,
  meta: Record<string, unknown> = {},
): Promise<void> {
  const account = ctx.requireAccount();
  await ctx.services.audit(trx, {
    tenantId: account.tenantId,
    actor: { type: 'account', id: account.accountId },
    action: `${PLUGIN_ID}.${action}`,
    ...(absenceId ? { target: { type: 'absence', id: absenceId } } : {}),
    meta,
    requestId: ctx.requestId,
  });
}

export async function tell(
  services: PlatformServices,
  trx: Trx,
  tenantId: string,
  accountIds: string[],
  kind: string,
  w: Wording,
  link: string,
  meta: Record<string, unknown> = {},
  dedupeKey?: string,
  /** Beyond the inbox: SMS and email (the resident's choice, or urgent for the police chief). */
  send?: { channels: readonly string[]; severity?: 'info' | 'important' | 'urgent' },
): Promise<void> {
  if (accountIds.length === 0) return;
  const channels = (send?.channels ?? []).filter((c): c is 'sms' | 'email' => c === 'sms' || c === 'email');
  await services.notify(trx, {
    ...(channels.length > 0 ? { channels, severity: send?.severity ?? 'info' } : {}),
    tenantId,
    accountIds,
    kind: `${PLUGIN_ID}.${kind}`,
    title: w.title,
    body: w.body,
    en: w.en,
    link,
    meta,
    ...(dedupeKey ? { dedupeKey } : {}),
  });
}

function watchStart(ctx: VigieContext, absenceId: string) {
  const tenant = ctx.requireTenant();
  const input: AbsenceWatchInput = { tenantId: tenant.id, absenceId };
  return {
    ...ctx.services.workflows.options({ id: tenant.id, slug: tenant.slug }, ABSENCE_WATCH_KIND, absenceId),
    args: [input] as [AbsenceWatchInput],
  };
}

export function watchId(ctx: VigieContext, absenceId: string): string {
  const tenant = ctx.requireTenant();
  return ctx.services.workflows.options({ id: tenant.id, slug: tenant.slug }, ABSENCE_WATCH_KIND, absenceId)
    .workflowId;
}

/** After the change has committed: the workflow reads the declaration again. */
export async function signalWatch(ctx: VigieContext, absenceId: string): Promise<void> {
  await ctx.services.workflows.client().workflow.signalWithStart(ABSENCE_WATCH_WORKFLOW, {
    ...watchStart(ctx, absenceId),
    signal: ABSENCE_CHANGED_SIGNAL,
    signalArgs: [],
  });
}

/** Overlapping live declarations of the same home by the same person. */
async function overlaps(
  trx: Trx,
  accountId: string,
  home: { addressId: string | null; label: string },
  departs: Date,
  returns: Date,
  except?: string,
): Promise<boolean> {
  const q = trx('tv_absences')
    .where({ account_id: accountId })
    .whereIn('status', ['pending', 'validated'])
    .where('departs_at', '<', returns)
    .where('returns_at', '>', departs);
  if (home.addressId) q.where('address_id', home.addressId);
  else q.where('address_label', home.label);
  if (except) q.whereNot('id', except);
  return Boolean(await q.first('id'));
}

export async function declare(
  ctx: VigieContext,
  trx: Trx,
  raw: unknown,
  forAccountId?: string | null,
): Promise<AbsenceRow> {
  const me = ctx.requireAccount();
  let accountId = me.accountId;
  if (forAccountId) {
    ctx.authorize('tranquillite-vacances.absence.declare_for');
    if (
      !isId(forAccountId) ||
      !(await trx('accounts').where({ id: forAccountId, status: 'active' }).first('id'))
    )
      throw fail('TV_NOT_A_RESIDENT');
    accountId = forAccountId;
  } else ctx.authorize('tranquillite-vacances.absence.declare');
  const i = parseInput(AbsenceInput, raw);
  const s = settingsOf(ctx);
  const { departs, returns } = checkRules(s, i.departsAt, i.returnsAt, Date.now());
  const residence = await residenceOf(trx, accountId);
  let home: { addressId: string | null; label: string; lon: number | null; lat: number | null };
  if (i.residence === 'secondary') {
    if (!s.secondaryHomes) throw fail('TV_SECONDARY_NOT_ALLOWED');
    const a = i.addressId ? await communeAddress(trx, i.addressId) : undefined;
    if (!a) throw fail('TV_ADDRESS_UNKNOWN');
    home = a;
  } else {
    if (!residence) throw fail('TV_NO_RESIDENCE');
    if (i.addressId && i.addressId !== residence.addressId) throw fail('TV_ADDRESS_NOT_YOURS');
    home = residence;
  }
  if (await overlaps(trx, accountId, home, departs, returns)) throw fail('TV_ABSENCE_OVERLAP');
  const details: Details = {};
  for (const k of DETAIL_KEYS) if (i[k] !== undefined) (details as Record<string, unknown>)[k] = i[k];
  const tenantId = me.tenantId;
  const [row] = (await trx('tv_absences')
    .insert({
      tenant_id: tenantId,
      account_id: accountId,
      declared_by: forAccountId ? me.accountId : null,
      kind: i.kind,
      residence: i.residence,
      address_id: home.addressId,
      address_label: home.label,
      lon: home.lon,
      lat: home.lat,
      departs_at: departs,
      returns_at: returns,
      details: JSON.stringify(details),
      door_code_sealed: i.doorCode ? ctx.services.secrets.seal(tenantId, SEALED.doorCode, i.doorCode) : null,
      key_holders_sealed: i.keyHolders
        ? ctx.services.secrets.seal(tenantId, SEALED.keyHolders, i.keyHolders)
        : null,
      notice_channels: i.noticeChannels && i.noticeChannels.length > 0 ? i.noticeChannels : ['in_app'],
    })
    .returning('*')) as AbsenceRow[];
  await count(trx, tenantId, new Date(), 'absences');
  await audit(ctx, trx, 'absence.declared', row!.id, {
    ...(forAccountId ? { onBehalfOf: accountId, atCounter: true } : {}),
  });
  await tell(
    ctx.services,
    trx,
    tenantId,
    await policeOf(ctx.services, trx),
    'declared',
    texts.declared(home.label, departs, returns),
    `/police/tranquillite-vacances/${row!.id}`,
    { absenceId: row!.id },
  );
  // Started in the transaction: if Temporal refuses, nothing is declared.
  await ctx.services.workflows.client().workflow.start(ABSENCE_WATCH_WORKFLOW, watchStart(ctx, row!.id));
  return row!;
}

/** The resident's own declaration (or one declared for them), locked for a change. */
async function ownAbsence(ctx: VigieContext, trx: Trx, id: string): Promise<AbsenceRow> {
  const me = ctx.requireAccount();
  ctx.authorize('tranquillite-vacances.absence.declare');
  if (!isId(id)) throw fail('TV_ABSENCE_NOT_FOUND');
  const row = (await trx('tv_absences').where({ id, account_id: me.accountId }).forUpdate().first()) as
    AbsenceRow | undefined;
  if (!row) throw fail('TV_ABSENCE_NOT_FOUND');
  const live = row.status === 'pending' || row.status === 'validated';
  if (!live || row.returns_at.getTime() <= Date.now()) throw fail('TV_ABSENCE_CLOSED');
  return row;
}

async function changed(
  ctx: VigieContext,
  trx: Trx,
  row: AbsenceRow,
  action: string,
  what: { fr: string; en: string },
  meta: Record<string, unknown>,
) {
  await audit(ctx, trx, action, row.id, meta);
  await tell(
    ctx.services,
    trx,
    row.tenant_id,
    await policeOf(ctx.services, trx),
    'changed',
    texts.changed(row.address_label, what),
    `/police/tranquillite-vacances/${row.id}`,
    { absenceId: row.id },
  );
}

const fmt = (d: Date, l: string) =>
  d.toLocaleString(l, { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

export async function changeDates(
  ctx: VigieContext,
  trx: Trx,
  id: string,
  departsAt: string | null | undefined,
  returnsAt: string,
): Promise<AbsenceRow> {
  const row = await ownAbsence(ctx, trx, id);
  const started = row.departs_at.getTime() <= Date.now();
  const newDeparture = departsAt && !started ? new Date(departsAt) : row.departs_at;
  const departureChanged = newDeparture.getTime() !== row.departs_at.getTime();
  const { departs, returns } = checkRules(
    settingsOf(ctx),
    newDeparture,
    returnsAt,
    Date.now(),
    departureChanged,
  );
  if (returns.getTime() <= Date.now()) throw fail('TV_DATES_INVALID');
  const home = { addressId: row.address_id, label: row.address_label };
  if (await overlaps(trx, row.account_id, home, departs, returns, row.id)) throw fail('TV_ABSENCE_OVERLAP');
  const [next] = (await trx('tv_absences')
    .where({ id: row.id })
    .update({ departs_at: departs, returns_at: returns, updated_at: new Date() })
    .returning('*')) as AbsenceRow[];
  await changed(
    ctx,
    trx,
    row,
    'absence.dates_changed',
    {
      fr: `nouvelles dates, du ${fmt(departs, 'fr-FR')} au ${fmt(returns, 'fr-FR')}.`,
      en: `new dates, from ${fmt(departs, 'en-GB')} to ${fmt(returns, 'en-GB')}.`,
    },
    {
      from: { departsAt: row.departs_at, returnsAt: row.returns_at },
      to: { departsAt: departs, returnsAt: returns },
    },
  );
  return next!;
}

export async function earlyReturn(ctx: VigieContext, trx: Trx, id: string): Promise<AbsenceRow> {
  const row = await ownAbsence(ctx, trx, id);
  const now = new Date();
  // Back before leaving is a cancellation, not a return.
  if (row.departs_at.getTime() > now.getTime()) return cancel(ctx, trx, id, row);
  const [next] = (await trx('tv_absences')
    .where({ id: row.id })
    .update({ returns_at: now, early_return_at: now, updated_at: now })
    .returning('*')) as AbsenceRow[];
  await changed(
    ctx,
    trx,
    row,
    'absence.early_return',
    { fr: 'retour anticipé, la surveillance s’arrête.', en: 'early return, the watch stops.' },
    { plannedReturn: row.returns_at },
  );
  return next!;
}

export async function cancel(
  ctx: VigieContext,
  trx: Trx,
  id: string,
  locked?: AbsenceRow,
): Promise<AbsenceRow> {
  const row = locked ?? (await ownAbsence(ctx, trx, id));
  const [next] = (await trx('tv_absences')
    .where({ id: row.id })
    .update({ status: 'cancelled', cancelled_at: new Date(), updated_at: new Date() })
    .returning('*')) as AbsenceRow[];
  await changed(
    ctx,
    trx,
    row,
    'absence.cancelled',
    { fr: 'déclaration annulée.', en: 'declaration cancelled.' },
    {},
  );
  return next!;
}

const Reason = Type.String({
  minLength: 3,
  maxLength: 500,
  errorMessage: 'Indiquez le motif du refus (3 à 500 caractères).',
});

export async function decide(
  ctx: VigieContext,
  trx: Trx,
  id: string,
  decision: { validate: true } | { validate: false; reason: unknown },
): Promise<AbsenceRow> {
  ctx.authorize('tranquillite-vacances.absence.validate');
  const me = ctx.requireAccount();
  if (!isId(id)) throw fail('TV_ABSENCE_NOT_FOUND');
  const row = (await trx('tv_absences').where({ id }).forUpdate().first()) as AbsenceRow | undefined;
  if (!row) throw fail('TV_ABSENCE_NOT_FOUND');
  if (row.status !== 'pending') throw fail('TV_ABSENCE_ALREADY_DECIDED');
  const reason = decision.validate ? null : parseInput(Reason, decision.reason);
  const [next] = (await trx('tv_absences')
    .where({ id })
    .update({
      status: decision.validate ? 'validated' : 'refused',
      refusal_reason: reason,
      decided_by: me.accountId,
      decided_at: new Date(),
      updated_at: new Date(),
    })
    .returning('*')) as AbsenceRow[];
  await audit(
    ctx,
    trx,
    decision.validate ? 'absence.validated' : 'absence.refused',
    id,
    reason ? { reason } : {},
  );
  await tell(
    ctx.services,
    trx,
    row.tenant_id,
    [row.account_id],
    decision.validate ? 'validated' : 'refused',
    decision.validate ? texts.validated(row.departs_at, row.returns_at) : texts.refused(reason!),
    '/tranquillite-vacances',
    { absenceId: id },
    undefined,
    { channels: row.notice_channels },
  );
  return next!;
}
