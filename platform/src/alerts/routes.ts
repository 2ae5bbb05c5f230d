// REST routes of the alerts module: the photo upload (multipart, which GraphQL
// does not carry) and the short-lived photo links that Alert.photoUrl hands out.
import multipart from '@fastify/multipart';
import { fail } from './errors.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { VigieError } from '../lib/errors.js';
import { requireTenant, tenantTx } from '../http/index.js';
import { audit } from '../lib/audit.js';
import type { AccountPrincipal } from '../identity/index.js';
import { isFileNotFound, readAll, tenantFiles, uploadError } from '../files/index.js';
import { communityOf, getAlert, isRecipient } from './alerts.js';
import {
  checkPhotoLink,
  MAX_PHOTO_BYTES,
  PHOTO_RULES,
  recordUpload,
  storePhoto,
  type PhotoRow,
  type StoredPhoto,
} from './photos.js';

/** Ten photos an hour per account: an alert carries one, a few retries are plenty. */
export const PHOTO_UPLOAD_LIMIT = { max: 10, windowMs: 60 * 60_000 };

function account(req: FastifyRequest): AccountPrincipal {
  if (!req.principal) throw new VigieError('UNAUTHENTICATED');
  return req.principal;
}

async function uploadRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    // Our own check refuses at 10 MB + 1 byte with ALERT_PHOTO_TOO_LARGE; this is the backstop.
    limits: { fileSize: MAX_PHOTO_BYTES + 1024, files: 1, fields: 2, fieldSize: 256, parts: 3 },
  });

  app.post(
    '/alerts/photos',
    // Like raiseAlert: a suspended commune's residents can still show the police what they saw.
    {
      config: { allowWhenSuspended: true },
      schema: {
        tags: ['alerts'],
        summary:
          "Envoie la photo d'une alerte (multipart, champ « file » : JPEG ou PNG, 10 Mo au plus) ; renvoie photoKey à donner à raiseAlert",
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const p = account(req);
      app.rateLimiter.hit(`alert-photo:${tenant.id}:${p.accountId}`, PHOTO_UPLOAD_LIMIT);
      // Who may raise an alert may attach a photo to it: staff, and verified residents of a community.
      if (!app.permissions.can(p, 'alerts.alert.raise_any')) {
        const own = await tenantTx(app, req, (trx) => communityOf(trx, p.accountId));
        if (!own) throw fail('ALERT_NO_COMMUNITY');
        app.permissions.authorize(p, 'alerts.alert.raise_own_community', { communityId: own });
      }
      if (!req.isMultipart()) throw fail('ALERT_PHOTO_MISSING');
      const files = tenantFiles(app.files, app.config.secret, tenant.id);
      let stored: StoredPhoto | undefined;
      try {
        for await (const part of req.parts()) {
          if (part.type !== 'file') continue;
          if (part.fieldname !== 'file' || stored) {
            part.file.resume();
            continue;
          }
          stored = await storePhoto(files, part.file);
        }
        if (!stored) throw fail('ALERT_PHOTO_MISSING');
        const photo = stored;
        const row = await tenantTx(app, req, async (trx) => {
          const r = await recordUpload(trx, tenant.id, p.accountId, photo);
          await audit(trx, {
            tenantId: tenant.id,
            actor: { type: 'account', id: p.accountId },
            action: 'alert.photo_uploaded',
            target: { type: 'alert_photo', id: r.id },
            meta: { mime: photo.mime, sizeBytes: photo.size },
            requestId: req.id,
          });
          return r;
        });
        return reply
          .code(201)
          .send({ photoKey: row.storage_key, contentType: row.content_type, sizeBytes: row.size_bytes });
      } catch (err) {
        if (stored)
          await files
            .delete(stored.key)
            .catch((e: unknown) => req.log.error({ err: e }, 'could not delete a refused alert photo'));
        throw uploadError(err, PHOTO_RULES.codes);
      }
    },
  );
}

const PhotoParams = Type.Object({
  photoId: Type.String({ format: 'uuid' }),
  token: Type.String({ maxLength: 200 }),
});

async function linkRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof PhotoParams> }>(
    '/alerts/photos/:photoId/:token',
    {
      schema: {
        tags: ['alerts'],
        summary:
          "Affiche la photo d'une alerte (lien de 10 minutes, pour l'auteur, l'équipe et les destinataires)",
        params: PhotoParams,
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const p = account(req);
      const { photoId, token } = req.params;
      if (!checkPhotoLink(app.config.secret, token, { tenantId: tenant.id, photoId, accountId: p.accountId }))
        throw fail('ALERT_PHOTO_LINK_INVALID');
      const found = await tenantTx(app, req, async (trx) => {
        const row = (await trx('alert_photos').where({ id: photoId }).first()) as PhotoRow | undefined;
        const alert = row?.alert_id ? await getAlert(trx, row.alert_id) : undefined;
        if (!row || !alert) return undefined;
        // The link outlives nothing: who stopped being allowed to see the alert meanwhile is refused.
        const allowed =
          alert.authorAccountId === p.accountId ||
          app.permissions.can(p, 'alerts.alert.read_all') ||
          (await isRecipient(trx, alert.id, p.accountId));
        if (!allowed) return undefined;
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: p.accountId },
          action: 'alert.photo_viewed',
          target: { type: 'alert', id: alert.id },
          meta: { photoId },
          requestId: req.id,
        });
        return row;
      });
      if (!found) throw fail('ALERT_PHOTO_NOT_FOUND');
      let bytes: Buffer;
      try {
        // Read and authenticate the whole file before sending a byte of it.
        bytes = await readAll(
          await tenantFiles(app.files, app.config.secret, tenant.id).get(found.storage_key),
        );
      } catch (err) {
        if (isFileNotFound(err)) throw fail('ALERT_PHOTO_NOT_FOUND');
        throw err;
      }
      return reply
        .header('content-type', found.content_type)
        .header(
          'content-disposition',
          `inline; filename="alerte.${found.content_type === 'image/png' ? 'png' : 'jpg'}"`,
        )
        .header('cache-control', 'private, no-store')
        .header('pragma', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'SAMEORIGIN')
        .send(bytes);
    },
  );
}

/** Encapsulated: multipart parsing exists for the upload route only. */
export async function alertPhotoRoutes(app: FastifyInstance): Promise<void> {
  await app.register(uploadRoutes);
  await app.register(linkRoutes);
}
