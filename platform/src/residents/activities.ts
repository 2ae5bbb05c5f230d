// Activities of the address-verification workflow. Each one does its tenant
// work inside withTenant and is idempotent: Temporal may run it more than once.
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type {
  AddressVerificationActivities,
  DecideInput,
  UpdateResult,
  VerificationOutcome,
} from '@vigie/workflows/contracts';
import type { ActivityDeps } from '../temporal/index.js';
import { withTenant } from '../db/index.js';
import { audit } from '../lib/audit.js';
import { createChannels, escapeHtml, storeInApp } from '../notifications/index.js';
import { tenantFiles, type FileStore } from '../files/index.js';
import { residentsServices, type ResidentsHooks } from './hooks.js';
import { reviewersFor, roleHolders, type ResidenceRow } from './residences.js';
import { outcomeText, reviewerText } from './messages.js';

type Trx = Knex.Transaction;

function gone(residenceId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'RESIDENCE_GONE',
    message: `Residence ${residenceId} no longer exists`,
    nonRetryable: true,
  });
}

async function lockResidence(trx: Trx, residenceId: string): Promise<ResidenceRow> {
  const r = await trx<ResidenceRow>('residences').where({ id: residenceId }).forUpdate().first();
  if (!r) throw gone(residenceId);
  return r;
}

async function sectorName(trx: Trx, sectorId: string | null): Promise<string | null> {
  if (!sectorId) return null;
  const s = await trx('sectors').where({ id: sectorId }).first('name');
  return (s?.name as string | undefined) ?? null;
}

async function localeOf(trx: Trx, accountId: string): Promise<'fr' | 'en'> {
  const a = await trx('accounts').where({ id: accountId }).first('locale');
  return a?.locale === 'en' ? 'en' : 'fr';
}

async function tellReviewers(
  trx: Trx,
  tenantId: string,
  r: ResidenceRow,
  accountIds: string[],
  event: 'new' | 'remind' | 'escalated',
): Promise<void> {
  const text = reviewerText(event, { sectorName: await sectorName(trx, r.sector_id) });
  for (const accountId of accountIds) {
    await storeInApp(trx, {
      tenantId,
      accountId,
      kind: 'residence_review',
      ...text,
      link: `/verifications/${r.id}`,
      meta: { residenceId: r.id, event },
      idempotencyKey: `residence:${r.id}:${event}:${accountId}`,
    });
  }
}

async function tellResident(
  trx: Trx,
  tenantId: string,
  r: ResidenceRow,
  outcome: 'approved' | 'rejected' | 'expired',
): Promise<void> {
  const text = outcomeText(
    outcome,
    {
      sectorName: await sectorName(trx, r.sector_id),
      reason: r.decision_reason,
      comment: r.decision_comment,
    },
    await localeOf(trx, r.account_id),
  );
  await storeInApp(trx, {
    tenantId,
    accountId: r.account_id,
    kind: 'residence_verification',
    ...text,
    link: '/mon-adresse',
    meta: { residenceId: r.id, outcome },
    idempotencyKey: `residence:${r.id}:${outcome}`,
  });
}

const settledStatus = {
  approved: 'active',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  expired: 'expired',
} as const;

async function decide(
  trx: Trx,
  tenantId: string,
  residenceId: string,
  d: DecideInput,
  hooks: ResidentsHooks,
): Promise<UpdateResult> {
  const outcome = d.decision === 'APPROVE' ? 'approved' : 'rejected';
  const status = settledStatus[outcome];
  const r = await lockResidence(trx, residenceId);
  if (r.status === status && r.decided_by === d.reviewer.accountId) return { outcome, status };
  if (r.status !== 'pending')
    throw ApplicationFailure.create({
      type: 'RESIDENCE_NOT_PENDING',
      message: `Residence is ${r.status}`,
      nonRetryable: true,
    });
  const now = new Date();
  let updated: ResidenceRow | undefined;
  if (outcome === 'approved') {
    // Moving house: the old home ends at the moment the new one is confirmed,
    // so the resident is never without a community in between.
    const left: Array<{ sector_id: string | null }> = await trx('residences')
      .where({ account_id: r.account_id, status: 'active' })
      .update({ status: 'ended', ended_at: now, decision_reason: 'moved', updated_at: now })
      .returning('sector_id');
    // A move within the same community ends no membership.
    for (const s of new Set(left.map((l) => l.sector_id)))
      if (s && s !== r.sector_id)
        await hooks.membershipEnded(trx, {
          tenantId,
          accountId: r.account_id,
          communityId: s,
          reason: 'moved',
        });
    [updated] = await trx<ResidenceRow>('residences')
      .where({ id: r.id })
      .update({
        status,
        activated_at: now,
        decided_at: now,
        decided_by: d.reviewer.accountId,
        updated_at: now,
      })
      .returning('*');
  } else {
    [updated] = await trx<ResidenceRow>('residences')
      .where({ id: r.id })
      .update({
        status,
        decided_at: now,
        decided_by: d.reviewer.accountId,
        decision_reason: d.reason ?? null,
        decision_comment: d.reason === 'autre' ? d.comment?.trim() || null : null,
        updated_at: now,
      })
      .returning('*');
  }
  await audit(trx, {
    tenantId,
    actor: { type: 'account', id: d.reviewer.accountId },
    action: outcome === 'approved' ? 'residents.verification_approved' : 'residents.verification_rejected',
    target: { type: 'residence', id: r.id },
    meta: {
      reviewerRole: d.reviewer.role,
      reason: d.reason ?? null,
      sectorId: r.sector_id,
      reviewLevel: r.review_level,
      escalated: r.escalated_at !== null,
      move: r.replaces_residence_id !== null,
    },
  });
  await tellResident(trx, tenantId, updated!, outcome);
  return { outcome, status };
}

export function residentsActivities(deps: ActivityDeps): AddressVerificationActivities {
  const { store } = deps.files;
  const hooks = deps.services.get(residentsServices.hooks);
  const channels = createChannels(deps.config, { db: deps.db });
  const tx = <T>(tenantId: string, fn: (trx: Trx) => Promise<T>) => withTenant(deps.db, tenantId, fn);

  return {
    async routeVerification({ tenantId, residenceId }) {
      return tx(tenantId, async (trx) => {
        const r = await lockResidence(trx, residenceId);
        const { level, accountIds } = await reviewersFor(trx, r.sector_id, r.account_id);
        if (r.status === 'pending' && r.review_level !== level)
          await trx('residences').where({ id: r.id }).update({ review_level: level, updated_at: new Date() });
        if (r.status === 'pending') await tellReviewers(trx, tenantId, r, accountIds, 'new');
        return { reviewLevel: level, reviewers: accountIds.length };
      });
    },

    async remindReviewers({ tenantId, residenceId }) {
      await tx(tenantId, async (trx) => {
        const r = await lockResidence(trx, residenceId);
        if (r.status !== 'pending') return;
        const { accountIds } = await reviewersFor(trx, r.sector_id, r.account_id);
        await trx('residences')
          .where({ id: r.id })
          .update({ reminded_at: new Date(), updated_at: new Date() });
        await tellReviewers(trx, tenantId, r, accountIds, 'remind');
      });
    },

    async escalateVerification({ tenantId, residenceId }) {
      await tx(tenantId, async (trx) => {
        const r = await lockResidence(trx, residenceId);
        if (r.status !== 'pending' || r.escalated_at) return;
        await trx('residences')
          .where({ id: r.id })
          .update({ escalated_at: new Date(), review_level: 'mairie', updated_at: new Date() });
        await audit(trx, {
          tenantId,
          actor: { type: 'system' },
          action: 'residents.verification_escalated',
          target: { type: 'residence', id: r.id },
          meta: { sectorId: r.sector_id, from: r.review_level },
        });
        await tellReviewers(
          trx,
          tenantId,
          r,
          await roleHolders(trx, 'mairie_admin', null, r.account_id),
          'escalated',
        );
      });
    },

    applyDecision: ({ tenantId, residenceId, decision }) =>
      tx(tenantId, (trx) => decide(trx, tenantId, residenceId, decision, hooks)),

    async applyWithdrawal({ tenantId, residenceId, accountId }) {
      return tx(tenantId, async (trx) => {
        const r = await trx<ResidenceRow>('residences').where({ id: residenceId }).forUpdate().first();
        // Withdrawn as part of an account deletion: the row is already gone.
        if (!r || r.status === 'withdrawn') return { outcome: 'withdrawn', status: 'withdrawn' };
        if (r.status !== 'pending')
          throw ApplicationFailure.create({
            type: 'RESIDENCE_NOT_PENDING',
            message: `Residence is ${r.status}`,
            nonRetryable: true,
          });
        await trx('residences')
          .where({ id: r.id })
          .update({ status: 'withdrawn', ended_at: new Date(), updated_at: new Date() });
        await audit(trx, {
          tenantId,
          actor: { type: 'account', id: accountId },
          action: 'residents.verification_withdrawn',
          target: { type: 'residence', id: r.id },
        });
        return { outcome: 'withdrawn', status: 'withdrawn' };
      });
    },

    async applyExpiry({ tenantId, residenceId }) {
      return tx(tenantId, async (trx) => {
        const r = await lockResidence(trx, residenceId);
        if (r.status === 'expired') return { outcome: 'expired', status: 'expired' };
        if (r.status !== 'pending')
          throw ApplicationFailure.create({
            type: 'RESIDENCE_NOT_PENDING',
            message: `Residence is ${r.status}`,
            nonRetryable: true,
          });
        const [updated] = await trx<ResidenceRow>('residences')
          .where({ id: r.id })
          .update({ status: 'expired', ended_at: new Date(), updated_at: new Date() })
          .returning('*');
        await audit(trx, {
          tenantId,
          actor: { type: 'system' },
          action: 'residents.verification_expired',
          target: { type: 'residence', id: r.id },
          meta: { sectorId: r.sector_id, reviewLevel: r.review_level },
        });
        await tellResident(trx, tenantId, updated!, 'expired');
        return { outcome: 'expired', status: 'expired' };
      });
    },

    async deleteProof({ tenantId, residenceId, reason }) {
      return {
        deleted: await deleteProofsOf(
          deps.db,
          { store, secret: deps.config.secret },
          tenantId,
          residenceId,
          reason,
        ),
      };
    },

    async emailOutcome({ tenantId, residenceId, outcome }) {
      if (outcome === 'withdrawn') return;
      const target = await tx(tenantId, async (trx) => {
        const r = await trx<ResidenceRow>('residences').where({ id: residenceId }).first();
        if (!r) return undefined;
        const a = await trx('accounts')
          .where({ id: r.account_id, status: 'active' })
          .first('email', 'locale');
        if (!a) return undefined;
        const text = outcomeText(
          outcome,
          {
            sectorName: await sectorName(trx, r.sector_id),
            reason: r.decision_reason,
            comment: r.decision_comment,
          },
          a.locale === 'en' ? 'en' : 'fr',
        );
        return { email: a.email as string, text };
      });
      if (!target) return;
      try {
        await channels.email.send({
          tenantId,
          to: target.email,
          subject: target.text.title,
          text: target.text.body,
          html: `<p>${escapeHtml(target.text.body)}</p>`,
          idempotencyKey: `residence-${residenceId}-${outcome}`,
        });
      } catch (err) {
        // A resident who unsubscribed from email still has the in-app message.
        if ((err as { code?: string }).code === 'OPTED_OUT') return;
        throw err;
      }
    },
  };
}

/** Deletes a residence's proof bytes, then marks the rows; safe to run twice. */
export async function deleteProofsOf(
  db: Knex,
  files: { store: FileStore; secret: string },
  tenantId: string,
  residenceId: string,
  reason: VerificationOutcome | 'failed' | 'retention' | 'account_deleted',
): Promise<number> {
  const rows = await withTenant(db, tenantId, (trx) =>
    trx('proof_documents')
      .where({ residence_id: residenceId })
      .whereNull('deleted_at')
      .select('id', 'storage_key'),
  );
  return deleteProofRows(db, files, tenantId, rows as Array<{ id: string; storage_key: string }>, reason);
}

export async function deleteProofRows(
  db: Knex,
  files: { store: FileStore; secret: string },
  tenantId: string,
  rows: Array<{ id: string; storage_key: string }>,
  reason: string,
): Promise<number> {
  const store = tenantFiles(files.store, files.secret, tenantId);
  for (const row of rows) {
    // Bytes first: a row marked deleted must never point at bytes still stored.
    await store.delete(row.storage_key);
    await withTenant(db, tenantId, async (trx) => {
      await trx('proof_documents')
        .where({ id: row.id })
        .whereNull('deleted_at')
        .update({ deleted_at: new Date(), deleted_reason: reason, updated_at: new Date() });
      await audit(trx, {
        tenantId,
        actor: { type: 'system' },
        action: 'residents.proof_deleted',
        target: { type: 'proof', id: row.id },
        meta: { reason },
      });
    });
  }
  return rows.length;
}
