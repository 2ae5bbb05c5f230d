// The API side of the address-verification workflow: start it after an
// upload, and send reviewers' decisions and residents' withdrawals to it as
// Updates, turning the validators' refusals into our error codes.
import type { Knex } from 'knex';
import { fail, residentsErrors } from './errors.js';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import {
  ADDRESS_VERIFICATION_KIND,
  ADDRESS_VERIFICATION_WORKFLOW,
  decideUpdate,
  VerificationFailure,
  withdrawUpdate,
  workflowId,
  type AddressVerificationInput,
  type DecideInput,
  type UpdateResult,
} from '@vigie/workflows/contracts';
import type { VigieError } from '../lib/errors.js';
import { tenantWorkflowOptions, type Temporal } from '../temporal/index.js';
import { residentsSettings, verificationTimings } from './settings.js';
import type { ResidenceRow } from './residences.js';

export function verificationWorkflowId(tenantSlug: string, residenceId: string): string {
  return workflowId(tenantSlug, ADDRESS_VERIFICATION_KIND, residenceId);
}

function temporalOf(t: Temporal | undefined): Temporal {
  if (!t) throw fail('WORKFLOWS_UNAVAILABLE');
  return t;
}

/** Reads the commune's current periods (not the cached tenant context: an admin may just have changed them). */
export async function startVerification(
  db: Knex,
  temporal: Temporal | undefined,
  tenant: { id: string; slug: string },
  r: Pick<ResidenceRow, 'id' | 'account_id'>,
): Promise<void> {
  const t = temporalOf(temporal);
  const row = await db('tenants').where({ id: tenant.id }).first('settings');
  const input: AddressVerificationInput = {
    tenantId: tenant.id,
    residenceId: r.id,
    accountId: r.account_id,
    timings: verificationTimings(residentsSettings(row?.settings)),
  };
  try {
    await t.client.workflow.start(ADDRESS_VERIFICATION_WORKFLOW, {
      ...tenantWorkflowOptions(t, tenant, ADDRESS_VERIFICATION_KIND, r.id),
      args: [input],
    });
  } catch (err) {
    throw fail('WORKFLOWS_UNAVAILABLE', undefined, undefined, { cause: err });
  }
}

const KNOWN_FAILURES = new Set<string>(Object.values(VerificationFailure));

/** A settled request whose workflow has closed: the answer its validator would have given. */
function refusalForStatus(status: ResidenceRow['status']): VigieError {
  if (status === 'expired') return fail('REQUEST_EXPIRED');
  if (status === 'withdrawn') return fail('REQUEST_WITHDRAWN');
  if (status === 'active' || status === 'rejected' || status === 'ended') return fail('ALREADY_DECIDED');
  return fail('VERIFICATION_NOT_FOUND');
}

async function sendUpdate(
  temporal: Temporal | undefined,
  r: ResidenceRow,
  call: (h: ReturnType<Temporal['client']['workflow']['getHandle']>) => Promise<UpdateResult>,
  reread: () => Promise<ResidenceRow | undefined>,
): Promise<UpdateResult> {
  if (r.status !== 'pending' && r.status !== 'draft') {
    // Already settled and its workflow may be gone: answer from the row.
    if (!r.workflow_id) throw refusalForStatus(r.status);
  }
  if (!r.workflow_id) throw fail('VERIFICATION_NOT_FOUND');
  const t = temporalOf(temporal);
  try {
    return await call(t.client.workflow.getHandle(r.workflow_id));
  } catch (err) {
    if (
      err instanceof WorkflowUpdateFailedError &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type &&
      KNOWN_FAILURES.has(err.cause.type) &&
      residentsErrors.has(err.cause.type)
    ) {
      throw fail(err.cause.type, err.cause.message);
    }
    if (err instanceof WorkflowNotFoundError) {
      const now = await reread();
      throw refusalForStatus(now?.status ?? 'draft');
    }
    throw fail('WORKFLOWS_UNAVAILABLE', undefined, undefined, { cause: err });
  }
}

export function decideVerification(
  temporal: Temporal | undefined,
  r: ResidenceRow,
  decision: DecideInput,
  reread: () => Promise<ResidenceRow | undefined>,
): Promise<UpdateResult> {
  return sendUpdate(temporal, r, (h) => h.executeUpdate(decideUpdate, { args: [decision] }), reread);
}

export function withdrawVerification(
  temporal: Temporal | undefined,
  r: ResidenceRow,
  accountId: string,
  reread: () => Promise<ResidenceRow | undefined>,
): Promise<UpdateResult> {
  return sendUpdate(temporal, r, (h) => h.executeUpdate(withdrawUpdate, { args: [{ accountId }] }), reread);
}
