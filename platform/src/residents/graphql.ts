// GraphQL of the residents module: the resident's own residence and requests,
// the reviewers' queue and decisions, and the RGPD rights.
import type { IResolvers, MercuriusContext } from 'mercurius';
import { fail } from './errors.js';
import type { FastifyInstance } from 'fastify';
import {
  REJECTION_REASONS,
  type RejectionReason,
  type VerificationDecision,
} from '@vigie/workflows/contracts';
import { VigieError } from '../lib/errors.js';
import { audit } from '../lib/audit.js';
import { verifyPassword } from '../identity/index.js';
import { LIMITS } from '../identity/index.js';
import {
  createDraft,
  currentResidence,
  getResidence,
  liveProofOf,
  openRequest,
  residencesOf,
  resolveAddress,
  toView,
  verificationQueue,
  type ResidenceRow,
} from './residences.js';
import { decideVerification, withdrawVerification } from './verification.js';
import { signProofLink } from './proof-links.js';
import { exportHtml, exportPersonalData } from './rgpd.js';
import { eraseAccountEverywhere } from './erasure.js';
import { residentsServices } from './hooks.js';
import { deleteProofsOf } from './activities.js';
import { EXPORT_LIMIT } from './routes.js';

export const DECIDE_PERMISSION = 'residents.verification.decide';
export const PROOF_PERMISSION = 'residents.proof.review';

export const residentsTypeDefs = /* GraphQL */ `
  type Residence {
    id: ID!
    "draft (move announced, proof not sent), pending, active, rejected, withdrawn, expired or ended"
    status: String!
    addressLabel: String
    addressId: ID
    sectorId: ID
    sectorName: String
    "proof or manual"
    source: String!
    submittedAt: String
    activatedAt: String
    decidedAt: String
    "Code of the rejection reason (see rejectionReasons)."
    decisionReason: String
    decisionReasonLabel: String
    decisionComment: String
    "Who reviews it: referent or mairie."
    reviewLevel: String
    escalated: Boolean!
    "A move: the current home ends when this one is approved."
    isMove: Boolean!
    endedAt: String
  }

  type ProofInfo {
    mime: String!
    sizeBytes: Int!
  }

  type VerificationRequest {
    residenceId: ID!
    residentDisplayName: String!
    addressLabel: String
    sectorId: ID
    sectorName: String
    submittedAt: String
    reviewLevel: String
    escalated: Boolean!
    isMove: Boolean!
    proof: ProofInfo
  }

  type RejectionReasonOption {
    code: String!
    label: String!
    labelEn: String!
  }

  enum VerificationDecision {
    APPROVE
    REJECT
  }

  type ProofLink {
    "Relative URL, valid 5 minutes, for this reviewer's session only."
    url: String!
    expiresAt: String!
  }

  type MoveHousePayload {
    residence: Residence!
    "Send the proof there (multipart: file, residenceId)."
    uploadUrl: String!
  }

  type DataExport {
    json: String!
    html: String!
  }

  extend type Query {
    "The open request, else the current home, else the last request."
    myResidence: Residence
    myResidences: [Residence!]!
    "Pending requests a reviewer may decide: a referent's community, or all of them for the mairie."
    verificationQueue: [VerificationRequest!]!
    rejectionReasons: [RejectionReasonOption!]!
  }

  extend type Mutation {
    decideVerification(
      residenceId: ID!
      decision: VerificationDecision!
      reason: String
      comment: String
    ): Residence!
    withdrawVerification: Residence!
    "Announces a move: the new address is checked like the first one (send its proof to uploadUrl)."
    moveHouse(addressId: ID, addressLabel: String): MoveHousePayload!
    proofLink(residenceId: ID!): ProofLink!
    exportMyData: DataExport!
    deleteMyAccount(password: String!): Boolean!
  }
`;

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

async function view(ctx: MercuriusContext, id: string) {
  return ctx.tx(async (trx) => {
    const row = await trx('residences as r')
      .leftJoin('sectors as s', 's.id', 'r.sector_id')
      .where('r.id', id)
      .first('r.*', 's.name as sector_name');
    if (!row) throw fail('VERIFICATION_NOT_FOUND');
    return toView(row);
  });
}

async function loadResidence(ctx: MercuriusContext, id: string): Promise<ResidenceRow> {
  const r = await ctx.tx((trx) => getResidence(trx, id));
  if (!r) throw fail('VERIFICATION_NOT_FOUND');
  return r;
}

export const residentsResolvers: IResolvers = {
  Query: {
    myResidence: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      return ctx.tx((trx) => currentResidence(trx, p.accountId));
    },
    myResidences: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      return ctx.tx((trx) => residencesOf(trx, p.accountId));
    },
    verificationQueue: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      if (ctx.can(DECIDE_PERMISSION)) return ctx.tx((trx) => verificationQueue(trx, 'all', p.accountId));
      const communities = p.roles.filter((g) => g.role === 'referent' && g.scopeId).map((g) => g.scopeId!);
      if (communities.length === 0) ctx.authorize(DECIDE_PERMISSION);
      for (const c of communities) ctx.authorize(DECIDE_PERMISSION, { communityId: c });
      return ctx.tx((trx) => verificationQueue(trx, { sectorIds: communities }, p.accountId));
    },
    rejectionReasons: () =>
      Object.entries(REJECTION_REASONS).map(([code, l]) => ({ code, label: l.fr, labelEn: l.en })),
  },
  Mutation: {
    decideVerification: async (
      _r,
      args: {
        residenceId: string;
        decision: VerificationDecision;
        reason?: string | null;
        comment?: string | null;
      },
      ctx,
    ) => {
      const p = ctx.requireAccount();
      const r = await loadResidence(ctx, args.residenceId);
      ctx.authorize(DECIDE_PERMISSION, r.sector_id ? { communityId: r.sector_id } : undefined);
      const role = ctx.can(DECIDE_PERMISSION) ? 'mairie_admin' : 'referent';
      await decideVerification(
        app(ctx).temporal,
        r,
        {
          decision: args.decision,
          reason: (args.reason ?? null) as RejectionReason | null,
          comment: args.comment ?? null,
          reviewer: { accountId: p.accountId, role },
        },
        () => ctx.tx((trx) => getResidence(trx, r.id)),
      );
      return view(ctx, r.id);
    },
    withdrawVerification: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      const open = await ctx.tx((trx) => openRequest(trx, p.accountId));
      if (!open) throw fail('VERIFICATION_NOT_FOUND');
      if (open.status === 'draft') {
        // No proof and no workflow yet: the announced move is simply dropped.
        await ctx.tx(async (trx) => {
          await trx('residences')
            .where({ id: open.id, status: 'draft' })
            .update({ status: 'withdrawn', ended_at: new Date(), updated_at: new Date() });
          await audit(trx, {
            tenantId: p.tenantId,
            actor: { type: 'account', id: p.accountId },
            action: 'residents.verification_withdrawn',
            target: { type: 'residence', id: open.id },
            requestId: ctx.requestId,
          });
        });
      } else {
        const a = app(ctx);
        try {
          await withdrawVerification(a.temporal, open, p.accountId, () =>
            ctx.tx((trx) => getResidence(trx, open.id)),
          );
        } catch (err) {
          // Still pending but its workflow is gone (terminated by an operator):
          // the resident must not stay stuck behind it.
          if (!(err instanceof VigieError) || err.code !== 'VERIFICATION_NOT_FOUND') throw err;
          await deleteProofsOf(
            a.db,
            { store: a.files, secret: a.config.secret },
            p.tenantId,
            open.id,
            'withdrawn',
          );
          await ctx.tx(async (trx) => {
            await trx('residences')
              .where({ id: open.id, status: 'pending' })
              .update({ status: 'withdrawn', ended_at: new Date(), updated_at: new Date() });
            await audit(trx, {
              tenantId: p.tenantId,
              actor: { type: 'account', id: p.accountId },
              action: 'residents.verification_withdrawn',
              target: { type: 'residence', id: open.id },
              meta: { orphaned: true },
              requestId: ctx.requestId,
            });
          });
        }
      }
      return view(ctx, open.id);
    },
    moveHouse: async (_r, args: { addressId?: string | null; addressLabel?: string | null }, ctx) => {
      const p = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      const draft = await ctx.tx(async (trx) => {
        const address = await resolveAddress(trx, args);
        const d = await createDraft(trx, tenant.id, p.accountId, address);
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: p.accountId },
          action: 'residents.move_announced',
          target: { type: 'residence', id: d.id },
          requestId: ctx.requestId,
        });
        return d;
      });
      return { residence: await view(ctx, draft.id), uploadUrl: '/residents/proof' };
    },
    proofLink: async (_r, { residenceId }: { residenceId: string }, ctx) => {
      const p = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      const r = await loadResidence(ctx, residenceId);
      ctx.authorize(PROOF_PERMISSION, r.sector_id ? { communityId: r.sector_id } : undefined);
      const proof = await ctx.tx(async (trx) => {
        const live = await liveProofOf(trx, r.id);
        if (live)
          await audit(trx, {
            tenantId: tenant.id,
            actor: { type: 'account', id: p.accountId },
            action: 'residents.proof_link_issued',
            target: { type: 'proof', id: live.id },
            meta: { residenceId: r.id },
            requestId: ctx.requestId,
          });
        return live;
      });
      if (!proof) throw fail('PROOF_NOT_FOUND');
      const { token, expiresAt } = signProofLink(app(ctx).config.secret, {
        tenantId: tenant.id,
        proofId: proof.id,
        accountId: p.accountId,
      });
      return { url: `/residents/proof/${proof.id}/${token}`, expiresAt: expiresAt.toISOString() };
    },
    exportMyData: async (_r, _a, ctx) => {
      const p = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      ctx.rateLimit('rgpd-export', p.accountId, EXPORT_LIMIT);
      const data = await ctx.tx(async (trx) => {
        const d = await exportPersonalData(
          trx,
          p.accountId,
          tenant.name,
          app(ctx).vigie.get(residentsServices.hooks),
        );
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: p.accountId },
          action: 'rgpd.exported',
          target: { type: 'account', id: p.accountId },
          meta: { format: 'graphql' },
          requestId: ctx.requestId,
        });
        return d;
      });
      return { json: JSON.stringify(data), html: exportHtml(data) };
    },
    deleteMyAccount: async (_r, { password }: { password: string }, ctx) => {
      const p = ctx.requireAccount();
      const tenant = ctx.requireTenant();
      ctx.rateLimit('login-account', `${tenant.id}:delete:${p.accountId}`, LIMITS.loginPerAccount);
      const hash = await ctx.tx(
        async (trx) =>
          (await trx('accounts').where({ id: p.accountId }).first('password_hash'))?.password_hash as
            string | null,
      );
      if (!(await verifyPassword(hash, password)))
        throw new VigieError('INVALID_CREDENTIALS', 'Mot de passe incorrect.');
      const a = app(ctx);
      await eraseAccountEverywhere(
        { db: a.db, files: a.vigie.files, temporal: a.temporal, hooks: a.vigie.get(residentsServices.hooks) },
        tenant.id,
        p.accountId,
        { actor: 'account', action: 'rgpd.account_deleted', requestId: ctx.requestId },
      );
      ctx.setSessionCookie(null);
      return true;
    },
  },
};
