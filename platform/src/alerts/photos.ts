// Alert photos: uploaded first (POST /alerts/photos), then attached by their
// own author when the alert is raised, seen through short-lived links by the
// people who may see the alert. The bytes are stripped of their metadata
// (EXIF GPS of the author's home…) before they reach the store, encrypted per
// commune there, and never have a public URL.
import type { Readable } from 'node:stream';
import { alertsErrors, fail } from './errors.js';
import type { Knex } from 'knex';
import type { FileAccess } from '../temporal/index.js';

import { withTenant } from '../db/index.js';
import {
  checkLink,
  ImageMetadataError,
  inspectUpload,
  newFileKey,
  readAll,
  signLink,
  stripImageMetadata,
  tenantFiles,
  uploadError,
  wasTruncated,
  type FileStore,
  type LinkKind,
  type UploadRules,
} from '../files/index.js';

type Trx = Knex.Transaction;

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export type PhotoMime = 'image/jpeg' | 'image/png';
/** An upload not attached to an alert within this delay is purged. */
export const UNATTACHED_PHOTO_TTL_MS = 24 * 60 * 60_000;
export const PHOTO_LINK_TTL_MS = 10 * 60_000;
const PHOTO_LINK: LinkKind = { purpose: 'alerts:photo-link', ttlMs: PHOTO_LINK_TTL_MS };

export const PHOTO_RULES: UploadRules<PhotoMime> = {
  accepted: ['image/jpeg', 'image/png'],
  maxBytes: MAX_PHOTO_BYTES,
  codes: {
    tooLarge: alertsErrors.code('ALERT_PHOTO_TOO_LARGE'),
    unsupported: alertsErrors.code('ALERT_PHOTO_TYPE_UNSUPPORTED'),
    empty: alertsErrors.code('ALERT_PHOTO_EMPTY'),
    incomplete: alertsErrors.code('ALERT_PHOTO_UPLOAD_INCOMPLETE'),
  },
};

export interface StoredPhoto {
  key: string;
  mime: PhotoMime;
  size: number;
}

/**
 * Reads the upload (checked while it streams: type, 10 MB), strips its
 * metadata, and stores what is left under a fresh random key. The photo is
 * held in memory (at most 10 MB, uploads are rate-limited) because the
 * filters need whole segments; nothing reaches the store before they ran.
 */
export async function storePhoto(files: FileStore, upload: Readable): Promise<StoredPhoto> {
  const { inspector, stream } = inspectUpload(upload, PHOTO_RULES);
  let bytes: Buffer;
  try {
    bytes = await readAll(stream);
  } catch (err) {
    throw uploadError(err, PHOTO_RULES.codes);
  }
  if (wasTruncated(upload)) throw fail('ALERT_PHOTO_TOO_LARGE');
  const mime = inspector.mime!;
  let clean: Buffer;
  try {
    clean = stripImageMetadata(bytes, mime);
  } catch (err) {
    if (err instanceof ImageMetadataError) throw fail('ALERT_PHOTO_DAMAGED');
    throw err;
  }
  const key = newFileKey('alert-photos');
  await files.put(key, clean, { size: clean.length, contentType: mime });
  return { key, mime, size: clean.length };
}

export interface PhotoRow {
  id: string;
  uploader_account_id: string | null;
  storage_key: string;
  content_type: PhotoMime;
  size_bytes: number;
  alert_id: string | null;
  created_at: Date;
}

export async function recordUpload(
  trx: Trx,
  tenantId: string,
  accountId: string,
  p: StoredPhoto,
): Promise<PhotoRow> {
  const [row] = (await trx('alert_photos')
    .insert({
      tenant_id: tenantId,
      uploader_account_id: accountId,
      storage_key: p.key,
      content_type: p.mime,
      size_bytes: p.size,
    })
    .returning('*')) as PhotoRow[];
  return row!;
}

/**
 * The upload an alert may carry: uploaded by the same author, not attached
 * yet, not expired. Locked until the caller's transaction ends, so that two
 * alerts raised at once cannot both take it. One answer for every refusal:
 * a key that exists but is someone else's must not be told apart from none.
 */
export async function claimPhoto(
  trx: Trx,
  key: string,
  authorAccountId: string | null,
  now = new Date(),
): Promise<PhotoRow> {
  const row = (await trx('alert_photos').where({ storage_key: key }).forUpdate().first()) as
    PhotoRow | undefined;
  const fresh = row && row.created_at.getTime() > now.getTime() - UNATTACHED_PHOTO_TTL_MS;
  if (
    !row ||
    !authorAccountId ||
    row.uploader_account_id !== authorAccountId ||
    row.alert_id !== null ||
    !fresh
  )
    throw fail('ALERT_PHOTO_INVALID');
  return row;
}

export async function attachPhoto(trx: Trx, photoId: string, alertId: string): Promise<void> {
  await trx('alert_photos').where({ id: photoId }).update({ alert_id: alertId, updated_at: new Date() });
}

/** Photo ids of alerts, by alert id. */
export async function photosOf(trx: Trx, alertIds: readonly string[]): Promise<Map<string, string>> {
  if (alertIds.length === 0) return new Map();
  const rows = (await trx('alert_photos')
    .whereIn('alert_id', [...new Set(alertIds)])
    .select('id', 'alert_id')) as Array<{ id: string; alert_id: string }>;
  return new Map(rows.map((r) => [r.alert_id, r.id]));
}

/** Of these alerts, the ones sent to the account (any channel). */
export async function receivedAmong(
  trx: Trx,
  alertIds: readonly string[],
  accountId: string,
): Promise<Set<string>> {
  if (alertIds.length === 0) return new Set();
  const ids = (await trx('deliveries')
    .whereIn('alert_id', [...new Set(alertIds)])
    .where({ account_id: accountId })
    .distinct('alert_id')
    .pluck('alert_id')) as string[];
  return new Set(ids);
}

export interface PhotoLinkSubject {
  tenantId: string;
  photoId: string;
  accountId: string;
}

export function photoUrl(
  secret: string,
  s: PhotoLinkSubject,
  now = Date.now(),
): { url: string; expiresAt: Date } {
  const { token, expiresAt } = signLink(
    secret,
    PHOTO_LINK,
    { tenantId: s.tenantId, documentId: s.photoId, accountId: s.accountId },
    now,
  );
  return { url: `/alerts/photos/${s.photoId}/${token}`, expiresAt };
}

export function checkPhotoLink(
  secret: string,
  token: string,
  s: PhotoLinkSubject,
  now = Date.now(),
): boolean {
  return checkLink(
    secret,
    PHOTO_LINK,
    token,
    { tenantId: s.tenantId, documentId: s.photoId, accountId: s.accountId },
    now,
  );
}

/**
 * The retention sweep: uploads never attached (the author gave up, or raised
 * without it) go after a day, their bytes first. A row whose file is already
 * gone is still removed: deleting a missing key is not an error.
 */
export async function purgeUnattachedPhotos(db: Knex, files: FileAccess, asOf: Date): Promise<number> {
  const cutoff = new Date(asOf.getTime() - UNATTACHED_PHOTO_TTL_MS);
  const tenants: Array<{ id: string }> = await db('tenants').select('id');
  let total = 0;
  for (const t of tenants) {
    const rows = (await withTenant(db, t.id, (trx) =>
      trx('alert_photos').whereNull('alert_id').where('created_at', '<', cutoff).select('id', 'storage_key'),
    )) as Array<{ id: string; storage_key: string }>;
    if (rows.length === 0) continue;
    const store = tenantFiles(files.store, files.secret, t.id);
    for (const r of rows) {
      await store.delete(r.storage_key);
      // Bytes first: a crash in between leaves a row the next sweep finishes, never bytes no row points to.
      // claimPhoto refuses uploads older than a day, so none of these can be attached meanwhile.
      total += await withTenant(db, t.id, (trx) =>
        trx('alert_photos').where({ id: r.id }).whereNull('alert_id').delete(),
      );
    }
  }
  return total;
}
