// The alert model: raise, triage (status history), list. Every function takes
// the caller's tenant-bound transaction; who may do what is checked by the
// caller (GraphQL, inbound SMS) through the permission registry.
import { Type, type Static } from '@sinclair/typebox';
import { fail } from './errors.js';
import { Value } from '@sinclair/typebox/value';
import type { Knex } from 'knex';
import { VigieError } from '../lib/errors.js';
import { SeveritySchema, type Severity } from '../notifications/index.js';
import { categoryBySlug } from './categories.js';
import { attachPhoto, claimPhoto } from './photos.js';
import { AREA_MAX_CHARS } from './area.js';
import type { SectorGeometry } from '../geo/index.js';

type Trx = Knex.Transaction;

export const ALERT_STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertClosure = 'solved' | 'unfounded';
export type AuthorKind = 'resident' | 'police' | 'mairie' | 'system';
export type AlertOrigin = 'web' | 'sms' | 'api';
export type TargetKind = 'community' | 'sectors' | 'commune' | 'area';

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const RaiseAlertInputSchema = Type.Object(
  {
    category: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,40}$' }),
    severity: Type.Optional(SeveritySchema),
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    location: Type.Optional(
      Type.Object(
        {
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
        },
        { additionalProperties: false },
      ),
    ),
    photoKey: Type.Optional(Type.String({ pattern: '^[\\w][\\w./-]{0,199}$' })),
    /** Staff alerting down: only these channels (the in-app inbox always). Default: each recipient's choice. */
    channels: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Literal('sms'),
          Type.Literal('email'),
          Type.Literal('push'),
          Type.Literal('in_app'),
          Type.Literal('voice'),
        ]),
        { minItems: 1, maxItems: 5, uniqueItems: true },
      ),
    ),
    target: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([
            Type.Literal('community'),
            Type.Literal('sectors'),
            Type.Literal('commune'),
            Type.Literal('area'),
          ]),
          sectorIds: Type.Optional(
            Type.Array(Type.String({ pattern: UUID_PATTERN }), { maxItems: 100, uniqueItems: true }),
          ),
          /** kind `area`: the zone drawn on the map, as GeoJSON (a Polygon or MultiPolygon). */
          area: Type.Optional(Type.String({ maxLength: AREA_MAX_CHARS })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RaiseAlertInput = Static<typeof RaiseAlertInputSchema>;

/** Validates with the one schema; the error names the first field that is wrong. */
export function parseRaiseAlertInput(input: unknown): RaiseAlertInput {
  if (Value.Check(RaiseAlertInputSchema, input)) {
    const text = input.text.replace(/\r\n?/g, '\n').trim();
    // Control characters other than newlines have no place in a message sent by SMS.
    if (text.length === 0 || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text))
      throw fail('ALERT_TEXT_INVALID');
    return { ...input, text };
  }
  const first = [...Value.Errors(RaiseAlertInputSchema, input)][0];
  if (first?.path === '/text') throw fail('ALERT_TEXT_INVALID');
  if (first?.path === '/target/area') throw fail('ALERT_AREA_INVALID', undefined, { reason: 'too_long' });
  throw new VigieError('VALIDATION_FAILED', undefined, {
    field: first?.path ?? '',
    problem: first?.message ?? 'invalid',
  });
}

export interface Target {
  kind: TargetKind;
  /** For `area`, the sectors the zone reaches (for the feeds); the zone decides who receives it. */
  sectorIds: string[];
  area?: SectorGeometry;
}

export interface Alert {
  id: string;
  tenantId: string;
  authorAccountId: string | null;
  authorKind: AuthorKind;
  origin: AlertOrigin;
  categoryId: string;
  severity: Severity;
  text: string;
  targetKind: TargetKind;
  targetSectorIds: string[];
  targetArea: SectorGeometry | null;
  location: { lon: number; lat: number } | null;
  photoKey: string | null;
  status: AlertStatus;
  closure: AlertClosure | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** A follow-up (« suite », « fin d'alerte ») of that first alert; null for an alert of its own. */
  followsAlertId: string | null;
  followUpKind: 'update' | 'end' | null;
}

export interface AlertRow {
  id: string;
  tenant_id: string;
  author_account_id: string | null;
  author_kind: AuthorKind;
  origin: AlertOrigin;
  category_id: string;
  severity: Severity;
  body: string;
  target_kind: TargetKind;
  target_sector_ids: string[];
  target_area?: SectorGeometry | null;
  lon: number | null;
  lat: number | null;
  photo_key: string | null;
  /** Null: every channel each recipient chose. */
  channels?: string[] | null;
  status: AlertStatus;
  closure: AlertClosure | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  follows_alert_id?: string | null;
  follow_up_kind?: 'update' | 'end' | null;
}

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    authorAccountId: r.author_account_id,
    authorKind: r.author_kind,
    origin: r.origin,
    categoryId: r.category_id,
    severity: r.severity,
    text: r.body,
    targetKind: r.target_kind,
    targetSectorIds: r.target_sector_ids ?? [],
    targetArea: r.target_area ?? null,
    location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null,
    photoKey: r.photo_key,
    status: r.status,
    closure: r.closure,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    followsAlertId: r.follows_alert_id ?? null,
    followUpKind: r.follow_up_kind ?? null,
  };
}

/** A short reference residents can quote on the phone (first 8 hex digits of the id). */
export function alertRef(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

/** The community (sector) of the account's active residence, if any. */
export async function communityOf(trx: Trx, accountId: string): Promise<string | null> {
  const row = (await trx('residences')
    .where({ account_id: accountId, status: 'active' })
    .whereNotNull('sector_id')
    .first('sector_id')) as { sector_id: string } | undefined;
  return row?.sector_id ?? null;
}

/** Checks that every sector exists and is active; the target's ids are stored sorted. */
export async function checkSectors(trx: Trx, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))].sort();
  if (unique.length === 0) throw fail('ALERT_TARGET_INVALID', 'Choisissez au moins un secteur.');
  const found = (await trx('sectors')
    .whereIn('id', unique)
    .where({ status: 'active' })
    .pluck('id')) as string[];
  if (found.length !== unique.length)
    throw fail('ALERT_TARGET_INVALID', undefined, {
      unknownSectors: unique.filter((u) => !found.includes(u)),
    });
  return unique;
}

export interface NewAlert {
  author: { accountId: string | null; kind: AuthorKind };
  origin: AlertOrigin;
  target: Target;
  input: RaiseAlertInput;
}

/**
 * Records the alert and its first history entry. Alerts raised by the police
 * or the mairie start acknowledged: nobody has to acknowledge their own word.
 */
export async function createAlert(trx: Trx, tenantId: string, a: NewAlert): Promise<Alert> {
  const category = await categoryBySlug(trx, tenantId, a.input.category);
  if (!category || !category.active)
    throw fail('ALERT_CATEGORY_UNKNOWN', undefined, { category: a.input.category });
  const staff = a.author.kind === 'police' || a.author.kind === 'mairie';
  // Only a photo its author uploaded (POST /alerts/photos) and not yet used.
  const photo = a.input.photoKey ? await claimPhoto(trx, a.input.photoKey, a.author.accountId) : undefined;
  const now = new Date();
  const [row] = (await trx('alerts')
    .insert({
      tenant_id: tenantId,
      author_account_id: a.author.accountId,
      author_kind: a.author.kind,
      origin: a.origin,
      category_id: category.id,
      severity: a.input.severity ?? category.defaultSeverity,
      body: a.input.text,
      target_kind: a.target.kind,
      target_sector_ids: a.target.sectorIds,
      target_area: a.target.kind === 'area' && a.target.area ? JSON.stringify(a.target.area) : null,
      lon: a.input.location?.lon ?? null,
      lat: a.input.location?.lat ?? null,
      photo_key: a.input.photoKey ?? null,
      // Only the police and the mairie narrow the channels; the inbox is always among them.
      channels: staff && a.input.channels ? [...new Set(['in_app', ...a.input.channels])] : null,
      status: staff ? 'acknowledged' : 'received',
      acknowledged_at: staff ? now : null,
      acknowledged_by: staff ? a.author.accountId : null,
    })
    .returning('*')) as AlertRow[];
  const history = [
    {
      tenant_id: tenantId,
      alert_id: row!.id,
      status: 'received',
      by_account_id: a.author.accountId,
      at: now,
    },
  ];
  if (staff)
    history.push({
      tenant_id: tenantId,
      alert_id: row!.id,
      status: 'acknowledged',
      by_account_id: a.author.accountId,
      at: now,
    });
  await trx('alert_status_history').insert(history);
  if (photo) await attachPhoto(trx, photo.id, row!.id);
  return toAlert(row!);
}

export async function getAlert(trx: Trx, id: string): Promise<Alert | undefined> {
  const row = (await trx('alerts').where({ id }).first()) as AlertRow | undefined;
  return row ? toAlert(row) : undefined;
}

// Forward only: a closed alert stays closed (raise a new one), and every step
// may be skipped (a police agent on the spot closes at once).
const NEXT: Record<AlertStatus, readonly AlertStatus[]> = {
  received: ['acknowledged', 'in_progress', 'closed'],
  acknowledged: ['in_progress', 'closed'],
  in_progress: ['closed'],
  closed: [],
};

export interface StatusChange {
  to: AlertStatus;
  closure?: AlertClosure | null;
  note?: string | null;
  byAccountId: string;
}

export interface StatusChangeResult {
  alert: Alert;
  /** The alert was acknowledged by this change (cancels its escalation). */
  acknowledgedNow: boolean;
}

export async function changeAlertStatus(
  trx: Trx,
  tenantId: string,
  alertId: string,
  c: StatusChange,
): Promise<StatusChangeResult> {
  const row = (await trx('alerts').where({ id: alertId }).forUpdate().first()) as AlertRow | undefined;
  if (!row) throw fail('ALERT_NOT_FOUND');
  if (!NEXT[row.status].includes(c.to))
    throw fail('ALERT_TRANSITION_INVALID', undefined, { from: row.status, to: c.to });
  if ((c.to === 'closed') !== !!c.closure) throw fail('ALERT_CLOSURE_REQUIRED');
  const note = c.note?.trim() || null;
  if (note && note.length > 1000) throw new VigieError('VALIDATION_FAILED', undefined, { field: 'note' });
  const now = new Date();
  const acknowledgedNow = row.acknowledged_at === null;
  const [updated] = (await trx('alerts')
    .where({ id: alertId })
    .update({
      status: c.to,
      closure: c.to === 'closed' ? c.closure : null,
      closed_at: c.to === 'closed' ? now : null,
      acknowledged_at: row.acknowledged_at ?? now,
      acknowledged_by: row.acknowledged_by ?? c.byAccountId,
      updated_at: now,
    })
    .returning('*')) as AlertRow[];
  await trx('alert_status_history').insert({
    tenant_id: tenantId,
    alert_id: alertId,
    status: c.to,
    closure: c.to === 'closed' ? c.closure : null,
    by_account_id: c.byAccountId,
    note,
    at: now,
  });
  return { alert: toAlert(updated!), acknowledgedNow };
}

export interface HistoryEntry {
  alertId: string;
  status: AlertStatus;
  closure: AlertClosure | null;
  byAccountId: string | null;
  note: string | null;
  at: Date;
}

export async function historyOf(trx: Trx, alertIds: readonly string[]): Promise<Map<string, HistoryEntry[]>> {
  const out = new Map<string, HistoryEntry[]>(alertIds.map((id) => [id, []]));
  if (alertIds.length === 0) return out;
  const rows = (await trx('alert_status_history')
    .whereIn('alert_id', [...new Set(alertIds)])
    .orderBy(['at', 'id'])) as Array<{
    alert_id: string;
    status: AlertStatus;
    closure: AlertClosure | null;
    by_account_id: string | null;
    note: string | null;
    at: Date;
  }>;
  for (const r of rows)
    out.get(r.alert_id)?.push({
      alertId: r.alert_id,
      status: r.status,
      closure: r.closure,
      byAccountId: r.by_account_id,
      note: r.note,
      at: r.at,
    });
  return out;
}

export interface AlertPage {
  items: Alert[];
  /** Opaque: pass it as `before` for the next (older) page. */
  nextCursor: string | null;
}

export interface AlertFilter {
  statuses?: AlertStatus[] | undefined;
  severities?: Severity[] | undefined;
  sectorId?: string | undefined;
  authorAccountId?: string | undefined;
  since?: Date | undefined;
}

function encodeCursor(a: Alert): string {
  return Buffer.from(`${a.createdAt.toISOString()}|${a.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !new RegExp(UUID_PATTERN).test(id))
    throw new VigieError('VALIDATION_FAILED', undefined, { field: 'before' });
  return { at: date, id };
}

/** Newest first, keyset-paginated. */
export async function listAlerts(
  trx: Trx,
  filter: AlertFilter,
  page: { limit: number; before?: string | null | undefined },
): Promise<AlertPage> {
  const limit = Math.min(Math.max(page.limit, 1), 100);
  const q = trx('alerts')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
  // Follow-ups are shown with their first alert, not as alerts of their own.
  q.whereNull('follows_alert_id');
  if (filter.statuses?.length) q.whereIn('status', filter.statuses);
  if (filter.severities?.length) q.whereIn('severity', filter.severities);
  if (filter.authorAccountId) q.where('author_account_id', filter.authorAccountId);
  if (filter.since) q.where('created_at', '>=', filter.since);
  const sectorId = filter.sectorId;
  if (sectorId)
    q.where((w) =>
      w.where('target_kind', 'commune').orWhereRaw('?::uuid = any(target_sector_ids)', [sectorId]),
    );
  if (page.before) {
    const c = decodeCursor(page.before);
    q.whereRaw('(created_at, id) < (?, ?)', [c.at, c.id]);
  }
  const rows = ((await q) as AlertRow[]).map(toAlert);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}

/** Did this account receive the alert (any channel)? Recipients may open the alert they were sent. */
export async function isRecipient(trx: Trx, alertId: string, accountId: string): Promise<boolean> {
  return !!(await trx('deliveries').where({ alert_id: alertId, account_id: accountId }).first('id'));
}
