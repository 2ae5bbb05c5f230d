// Residences: the link between an account, its address and its community.
// Every function takes the caller's tenant-bound transaction.
import type { Knex } from 'knex';
import { fail } from './errors.js';

import { addressLabel } from '../geo/index.js';
import { REJECTION_REASONS, type RejectionReason } from '@vigie/workflows/contracts';
import type { StoredProof } from './proofs.js';

type Trx = Knex.Transaction;

export type ResidenceStatus = 'draft' | 'pending' | 'active' | 'rejected' | 'withdrawn' | 'expired' | 'ended';

export interface ResidenceRow {
  id: string;
  tenant_id: string;
  account_id: string;
  address_id: string | null;
  sector_id: string | null;
  address_label: string | null;
  status: ResidenceStatus;
  source: 'proof' | 'manual' | 'counter';
  submitted_at: Date | null;
  activated_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  decision_comment: string | null;
  review_level: 'referent' | 'mairie' | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  workflow_id: string | null;
  replaces_residence_id: string | null;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ProofRow {
  id: string;
  residence_id: string;
  storage_key: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  deleted_at: Date | null;
  deleted_reason: string | null;
  created_at: Date;
}

export interface ResolvedAddress {
  addressId: string | null;
  sectorId: string | null;
  label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The address a resident chose: one of the commune's BAN addresses (from the
 * address search), or free text when theirs is missing from the import; the
 * latter has no sector and goes to the mairie.
 */
export async function resolveAddress(
  trx: Trx,
  input: { addressId?: string | null; addressLabel?: string | null },
): Promise<ResolvedAddress> {
  if (input.addressId) {
    if (!UUID.test(input.addressId)) throw fail('ADDRESS_NOT_FOUND');
    const a = await trx('addresses')
      .where({ id: input.addressId })
      .first('id', 'numero', 'rep', 'nom_voie', 'code_postal', 'nom_commune', 'sector_id');
    if (!a) throw fail('ADDRESS_NOT_FOUND');
    return { addressId: a.id, sectorId: a.sector_id, label: addressLabel(a) };
  }
  const label = (input.addressLabel ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (label.length < 5 || label.length > 200 || /[<>]/.test(label)) throw fail('ADDRESS_REQUIRED');
  return { addressId: null, sectorId: null, label };
}

export async function openRequest(trx: Trx, accountId: string): Promise<ResidenceRow | undefined> {
  return trx<ResidenceRow>('residences')
    .where({ account_id: accountId })
    .whereIn('status', ['draft', 'pending'])
    .first();
}

export async function activeResidence(trx: Trx, accountId: string): Promise<ResidenceRow | undefined> {
  return trx<ResidenceRow>('residences').where({ account_id: accountId, status: 'active' }).first();
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

/** A move announced before its proof is sent (GraphQL moveHouse); the upload then completes it. */
export async function createDraft(
  trx: Trx,
  tenantId: string,
  accountId: string,
  address: ResolvedAddress,
): Promise<ResidenceRow> {
  if (await openRequest(trx, accountId)) throw fail('VERIFICATION_ALREADY_PENDING');
  const active = await activeResidence(trx, accountId);
  if (active && address.addressId && active.address_id === address.addressId)
    throw fail('ALREADY_RESIDENT_HERE');
  try {
    const [row] = await trx<ResidenceRow>('residences')
      .insert({
        tenant_id: tenantId,
        account_id: accountId,
        address_id: address.addressId,
        sector_id: address.sectorId,
        address_label: address.label,
        status: 'draft',
        source: 'proof',
        replaces_residence_id: active?.id ?? null,
      })
      .returning('*');
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('VERIFICATION_ALREADY_PENDING');
    throw err;
  }
}

/**
 * Records a request with its proof: a pending residence (new, or the draft of a
 * move) and the proof's row, in the caller's transaction. Moving house: an
 * account with an active residence keeps it until the new one is approved.
 */
export async function submitRequest(
  trx: Trx,
  tenantId: string,
  accountId: string,
  input: {
    address: ResolvedAddress | null;
    draftId: string | null;
    proof: StoredProof;
    workflowIdFor: (residenceId: string) => string;
  },
): Promise<{ residence: ResidenceRow; proofId: string }> {
  const open = await trx<ResidenceRow>('residences')
    .where({ account_id: accountId })
    .whereIn('status', ['draft', 'pending'])
    .forUpdate()
    .first();
  let residence: ResidenceRow;
  const now = new Date();
  if (input.draftId) {
    if (!open || open.id !== input.draftId || open.status !== 'draft') throw fail('VERIFICATION_NOT_FOUND');
    const [row] = await trx<ResidenceRow>('residences')
      .where({ id: open.id })
      .update({
        status: 'pending',
        submitted_at: now,
        workflow_id: input.workflowIdFor(open.id),
        updated_at: now,
      })
      .returning('*');
    residence = row!;
  } else {
    if (open) throw fail('VERIFICATION_ALREADY_PENDING');
    const address = input.address;
    if (!address) throw fail('ADDRESS_REQUIRED');
    const active = await activeResidence(trx, accountId);
    if (active && address.addressId && active.address_id === address.addressId)
      throw fail('ALREADY_RESIDENT_HERE');
    try {
      const [row] = await trx<ResidenceRow>('residences')
        .insert({
          tenant_id: tenantId,
          account_id: accountId,
          address_id: address.addressId,
          sector_id: address.sectorId,
          address_label: address.label,
          status: 'pending',
          source: 'proof',
          submitted_at: now,
          replaces_residence_id: active?.id ?? null,
        })
        .returning('*');
      residence = row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw fail('VERIFICATION_ALREADY_PENDING');
      throw err;
    }
    const [updated] = await trx<ResidenceRow>('residences')
      .where({ id: residence.id })
      .update({ workflow_id: input.workflowIdFor(residence.id) })
      .returning('*');
    residence = updated!;
  }
  const [proof] = await trx('proof_documents')
    .insert({
      tenant_id: tenantId,
      residence_id: residence.id,
      storage_key: input.proof.key,
      mime: input.proof.mime,
      size_bytes: input.proof.size,
      sha256: input.proof.sha256,
    })
    .returning('id');
  return { residence, proofId: (proof as { id: string }).id };
}

export interface ResidenceView {
  id: string;
  status: ResidenceStatus;
  addressLabel: string | null;
  addressId: string | null;
  sectorId: string | null;
  sectorName: string | null;
  source: string;
  submittedAt: string | null;
  activatedAt: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  decisionReasonLabel: string | null;
  decisionComment: string | null;
  reviewLevel: string | null;
  escalated: boolean;
  isMove: boolean;
  endedAt: string | null;
}

export function reasonLabel(code: string | null, locale: 'fr' | 'en' = 'fr'): string | null {
  if (!code) return null;
  const r = REJECTION_REASONS[code as RejectionReason];
  return r ? r[locale] : code;
}

export function toView(r: ResidenceRow & { sector_name?: string | null }): ResidenceView {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    status: r.status,
    addressLabel: r.address_label,
    addressId: r.address_id,
    sectorId: r.sector_id,
    sectorName: r.sector_name ?? null,
    source: r.source,
    submittedAt: iso(r.submitted_at),
    activatedAt: iso(r.activated_at),
    decidedAt: iso(r.decided_at),
    decisionReason: r.decision_reason,
    decisionReasonLabel: r.status === 'rejected' ? reasonLabel(r.decision_reason) : null,
    decisionComment: r.status === 'rejected' ? r.decision_comment : null,
    reviewLevel: r.review_level,
    escalated: r.escalated_at !== null,
    isMove: r.replaces_residence_id !== null,
    endedAt: iso(r.ended_at),
  };
}

function withSector(trx: Trx) {
  return trx<ResidenceRow & { sector_name: string | null }>('residences as r')
    .leftJoin('sectors as s', 's.id', 'r.sector_id')
    .select('r.*', 's.name as sector_name');
}

export async function residencesOf(trx: Trx, accountId: string): Promise<ResidenceView[]> {
  const rows = await withSector(trx).where('r.account_id', accountId).orderBy('r.created_at', 'desc');
  return rows.map(toView);
}

/** What the resident sees first: the open request, else the home, else the last request (with its reason). */
export async function currentResidence(trx: Trx, accountId: string): Promise<ResidenceView | null> {
  const all = await residencesOf(trx, accountId);
  return (
    all.find((r) => r.status === 'pending' || r.status === 'draft') ??
    all.find((r) => r.status === 'active') ??
    all[0] ??
    null
  );
}

export async function getResidence(trx: Trx, id: string): Promise<ResidenceRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return trx<ResidenceRow>('residences').where({ id }).first();
}

export interface QueueItem {
  residenceId: string;
  residentDisplayName: string;
  addressLabel: string | null;
  sectorId: string | null;
  sectorName: string | null;
  submittedAt: string | null;
  reviewLevel: string | null;
  escalated: boolean;
  isMove: boolean;
  proof: { mime: string; sizeBytes: number } | null;
}

/** Pending requests: of the given communities (a referent's), or all of them (the mairie's). */
export async function verificationQueue(
  trx: Trx,
  scope: { sectorIds: string[] } | 'all',
  excludeAccountId?: string,
): Promise<QueueItem[]> {
  const q = trx('residences as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('sectors as s', 's.id', 'r.sector_id')
    .leftJoin('proof_documents as p', function () {
      this.on('p.residence_id', '=', 'r.id').andOnNull('p.deleted_at');
    })
    .where('r.status', 'pending')
    .orderByRaw('r.escalated_at is null, r.submitted_at')
    .limit(500)
    .select('r.*', 'a.display_name', 's.name as sector_name', 'p.mime', 'p.size_bytes');
  if (scope !== 'all') q.whereIn('r.sector_id', scope.sectorIds);
  if (excludeAccountId) q.whereNot('r.account_id', excludeAccountId);
  const rows = (await q) as Array<
    ResidenceRow & {
      display_name: string;
      sector_name: string | null;
      mime: string | null;
      size_bytes: number | null;
    }
  >;
  return rows.map((r) => ({
    residenceId: r.id,
    residentDisplayName: r.display_name,
    addressLabel: r.address_label,
    sectorId: r.sector_id,
    sectorName: r.sector_name,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    reviewLevel: r.review_level,
    escalated: r.escalated_at !== null,
    isMove: r.replaces_residence_id !== null,
    proof: r.mime ? { mime: r.mime, sizeBytes: r.size_bytes! } : null,
  }));
}

export async function liveProofOf(trx: Trx, residenceId: string): Promise<ProofRow | undefined> {
  return trx<ProofRow>('proof_documents')
    .where({ residence_id: residenceId })
    .whereNull('deleted_at')
    .orderBy('created_at', 'desc')
    .first();
}

/** Accounts that review a community's requests: its referents, or the mairie's admins when it has none. */
export async function reviewersFor(
  trx: Trx,
  sectorId: string | null,
  excludeAccountId: string,
): Promise<{ level: 'referent' | 'mairie'; accountIds: string[] }> {
  if (sectorId) {
    const referents = await roleHolders(trx, 'referent', sectorId, excludeAccountId);
    if (referents.length > 0) return { level: 'referent', accountIds: referents };
  }
  return { level: 'mairie', accountIds: await roleHolders(trx, 'mairie_admin', null, excludeAccountId) };
}

export async function roleHolders(
  trx: Trx,
  role: string,
  scopeId: string | null,
  excludeAccountId?: string,
): Promise<string[]> {
  const q = trx('role_assignments as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .where({ 'r.role': role, 'a.status': 'active' })
    .distinct('r.account_id');
  if (scopeId === null) q.whereNull('r.scope_id');
  else q.where('r.scope_id', scopeId);
  if (excludeAccountId) q.whereNot('r.account_id', excludeAccountId);
  return ((await q) as Array<{ account_id: string }>).map((r) => r.account_id);
}
