// REST routes of the residents module: the proof upload (multipart, which
// GraphQL does not carry), the reviewers' short-lived document links, and the
// RGPD export as a download.
import fp from 'fastify-plugin';
import { fail } from './errors.js';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { VigieError } from '../lib/errors.js';
import { requireTenant, tenantTx } from '../http/index.js';
import { audit } from '../lib/audit.js';
import type { AccountPrincipal } from '../identity/index.js';
import { readAll, tenantFiles, isFileNotFound } from '../files/index.js';
import { MAX_PROOF_BYTES, storeProof, uploadError, type StoredProof } from './proofs.js';
import { resolveAddress, submitRequest, toView, type ResidenceRow } from './residences.js';
import { startVerification, verificationWorkflowId } from './verification.js';
import { checkProofLink } from './proof-links.js';
import { exportHtml, exportPersonalData } from './rgpd.js';
import { residentsServices } from './hooks.js';

export const UPLOAD_LIMIT = { max: 10, windowMs: 60 * 60_000 };
export const EXPORT_LIMIT = { max: 10, windowMs: 60 * 60_000 };
const PROOF_PERMISSION = 'residents.proof.review';

function account(req: FastifyRequest): AccountPrincipal {
  if (!req.principal) throw new VigieError('UNAUTHENTICATED');
  return req.principal;
}

const EXT: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

async function uploadRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    // Our own check refuses at 10 MB + 1 byte with PROOF_TOO_LARGE; this is the backstop.
    limits: { fileSize: MAX_PROOF_BYTES + 1024, files: 1, fields: 5, fieldSize: 1024, parts: 8 },
  });

  app.post(
    '/residents/proof',
    {
      schema: {
        tags: ['residents'],
        summary:
          "Envoie un justificatif de domicile (multipart : file, addressId ou addressLabel, ou residenceId d'un déménagement annoncé)",
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const p = account(req);
      app.rateLimiter.hit(`proof-upload:${p.accountId}`, UPLOAD_LIMIT);
      if (!req.isMultipart()) throw fail('PROOF_MISSING');
      const files = tenantFiles(app.files, app.config.secret, tenant.id);
      const fields: Record<string, string> = {};
      let stored: StoredProof | undefined;
      let committed: { residence: ResidenceRow; wasDraft: boolean } | undefined;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || stored) {
              part.file.resume();
              continue;
            }
            stored = await storeProof(files, part.file);
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
        if (!stored) throw fail('PROOF_MISSING');
        const proof = stored;
        const { residence } = await tenantTx(app, req, async (trx) => {
          const draftId = fields.residenceId || null;
          const address = draftId
            ? null
            : await resolveAddress(trx, {
                addressId: fields.addressId || null,
                addressLabel: fields.addressLabel || null,
              });
          const out = await submitRequest(trx, tenant.id, p.accountId, {
            address,
            draftId,
            proof,
            workflowIdFor: (id) => verificationWorkflowId(tenant.slug, id),
          });
          await audit(trx, {
            tenantId: tenant.id,
            actor: { type: 'account', id: p.accountId },
            action: 'residents.proof_submitted',
            target: { type: 'residence', id: out.residence.id },
            meta: {
              mime: proof.mime,
              sizeBytes: proof.size,
              move: out.residence.replaces_residence_id !== null,
            },
            requestId: req.id,
          });
          return out;
        });
        committed = { residence, wasDraft: !!fields.residenceId };
        await startVerification(app.db, app.temporal, tenant, residence);
        return reply.code(201).send({ residence: toView(residence) });
      } catch (err) {
        // Compensation of the steps above, in reverse: the rows, then the bytes.
        if (committed)
          await undoSubmission(app, req, committed.residence, committed.wasDraft).catch((e: unknown) =>
            req.log.error({ err: e }, 'could not undo a proof submission'),
          );
        if (stored)
          await files
            .delete(stored.key)
            .catch((e: unknown) => req.log.error({ err: e }, 'could not delete a refused proof'));
        throw uploadError(err);
      }
    },
  );
}

/** The workflow could not start: the request goes back to what it was (nothing, or the announced move). */
async function undoSubmission(
  app: FastifyInstance,
  req: FastifyRequest,
  r: ResidenceRow,
  wasDraft: boolean,
): Promise<void> {
  await tenantTx(app, req, async (trx) => {
    await trx('proof_documents').where({ residence_id: r.id }).delete();
    if (wasDraft)
      await trx('residences')
        .where({ id: r.id })
        .update({ status: 'draft', submitted_at: null, workflow_id: null });
    else await trx('residences').where({ id: r.id }).delete();
  });
}

const ProofParams = Type.Object({
  proofId: Type.String({ format: 'uuid' }),
  token: Type.String({ maxLength: 200 }),
});
const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])),
});

async function documentRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof ProofParams> }>(
    '/residents/proof/:proofId/:token',
    {
      schema: {
        tags: ['residents'],
        summary: 'Affiche un justificatif à un vérificateur (lien de 5 minutes)',
        params: ProofParams,
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const p = account(req);
      const { proofId, token } = req.params;
      if (!checkProofLink(app.config.secret, token, { tenantId: tenant.id, proofId, accountId: p.accountId }))
        throw fail('PROOF_LINK_INVALID');
      const found = await tenantTx(app, req, async (trx) => {
        const row = await trx('proof_documents as d')
          .join('residences as r', 'r.id', 'd.residence_id')
          .where('d.id', proofId)
          .first('d.id', 'd.storage_key', 'd.mime', 'd.deleted_at', 'r.sector_id', 'r.id as residence_id');
        if (!row || row.deleted_at) return undefined;
        // The link outlives nothing: a reviewer who lost the role meanwhile is refused.
        app.permissions.authorize(
          p,
          PROOF_PERMISSION,
          row.sector_id ? { communityId: row.sector_id } : undefined,
        );
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: p.accountId },
          action: 'residents.proof_viewed',
          target: { type: 'proof', id: proofId },
          meta: { residenceId: row.residence_id },
          requestId: req.id,
        });
        return row as { storage_key: string; mime: string };
      });
      if (!found) throw fail('PROOF_NOT_FOUND');
      let bytes: Buffer;
      try {
        // Read and authenticate the whole file before sending a byte of it.
        bytes = await readAll(
          await tenantFiles(app.files, app.config.secret, tenant.id).get(found.storage_key),
        );
      } catch (err) {
        if (isFileNotFound(err)) throw fail('PROOF_NOT_FOUND');
        throw err;
      }
      return reply
        .header('content-type', found.mime)
        .header('content-disposition', `inline; filename="justificatif.${EXT[found.mime] ?? 'bin'}"`)
        .header('cache-control', 'no-store, private')
        .header('pragma', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'SAMEORIGIN')
        .send(bytes);
    },
  );

  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    '/residents/me/export',
    {
      schema: {
        tags: ['residents'],
        summary: 'Télécharge toutes vos données (RGPD), en JSON ou en HTML',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const p = account(req);
      app.rateLimiter.hit(`rgpd-export:${p.accountId}`, EXPORT_LIMIT);
      const data = await tenantTx(app, req, async (trx) => {
        const d = await exportPersonalData(
          trx,
          p.accountId,
          tenant.name,
          app.vigie.get(residentsServices.hooks),
        );
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: p.accountId },
          action: 'rgpd.exported',
          target: { type: 'account', id: p.accountId },
          meta: { format: req.query.format ?? 'json' },
          requestId: req.id,
        });
        return d;
      });
      const html = req.query.format === 'html';
      return reply
        .header('content-type', html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="vigie-mes-donnees.${html ? 'html' : 'json'}"`)
        .header('cache-control', 'no-store, private')
        .send(html ? exportHtml(data) : JSON.stringify(data, null, 2));
    },
  );
}

async function residentsRoutes(app: FastifyInstance): Promise<void> {
  // Encapsulated: multipart parsing exists for the upload route only.
  await app.register(uploadRoutes);
  await app.register(documentRoutes);
}

export const residentsRoutesPlugin = fp(residentsRoutes, {
  name: 'residents',
  dependencies: ['request-context'],
});
