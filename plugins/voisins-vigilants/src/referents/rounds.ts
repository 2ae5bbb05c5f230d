// The API side of the referent-selection workflow: signals (with start, so a
// community always has at most one run, keyed by its workflow ID), the choice
// Update and the status query. Workflow refusals become our error codes.
import type { PlatformServices, VigieError } from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import {
  REFERENT_SELECTION,
  REFERENT_SELECTION_KIND,
  REFERENT_SELECTION_WORKFLOW,
  type ChooseReferentsArgs,
  type ReferentRoundReason,
  type ReferentRoundStatus,
  type ReferentSelectionInput,
} from '../workflows/contracts.js';
import { isReferentErrorCode } from './errors.js';
import type { ReferentTimings } from './settings.js';

export interface TenantRef {
  id: string;
  slug: string;
}

type Signal = (typeof REFERENT_SELECTION)['candidacySignal' | 'vacancySignal' | 'reopenSignal'];

export function roundInput(
  tenant: TenantRef,
  communityId: string,
  reason: ReferentRoundReason,
  openedBy: string | null,
  t: ReferentTimings,
): ReferentSelectionInput {
  return {
    tenantId: tenant.id,
    communityId,
    reason,
    openedBy,
    collectSeconds: t.collectSeconds,
    reminderSeconds: t.reminderSeconds,
  };
}

function handle(services: PlatformServices, tenant: TenantRef, communityId: string) {
  const opts = services.workflows.options(tenant, REFERENT_SELECTION_KIND, communityId);
  return { opts, handle: services.workflows.client().workflow.getHandle(opts.workflowId) };
}

function isNotFound(err: unknown): boolean {
  return (err as Error | undefined)?.name === 'WorkflowNotFoundError';
}

/** Delivers a signal to the community's run, starting a round first when none runs. */
export async function signalRound(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
  signal: Signal,
  arg: object,
  start: ReferentSelectionInput,
): Promise<void> {
  const { opts } = handle(services, tenant, communityId);
  try {
    await services.workflows.client().workflow.signalWithStart(REFERENT_SELECTION_WORKFLOW, {
      ...opts,
      args: [start],
      signal,
      signalArgs: [arg],
    });
  } catch (err) {
    throw fail('REFERENT_WORKFLOW_UNAVAILABLE', undefined, undefined, { cause: err });
  }
}

/** Delivers a signal only if a run exists (a withdrawal needs no round). */
export async function signalIfRunning(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
  signal: Signal,
  arg: object,
): Promise<boolean> {
  try {
    await handle(services, tenant, communityId).handle.signal(signal, arg);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw fail('REFERENT_WORKFLOW_UNAVAILABLE', undefined, undefined, { cause: err });
  }
}

/** The live state of the community's run, or null when none runs. */
export async function roundStatus(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
): Promise<ReferentRoundStatus | null> {
  const { handle: h } = handle(services, tenant, communityId);
  try {
    const d = await h.describe();
    if (d.status.name !== 'RUNNING') return null;
    return await h.query<ReferentRoundStatus>(REFERENT_SELECTION.statusQuery);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw fail('REFERENT_WORKFLOW_UNAVAILABLE', undefined, undefined, { cause: err });
  }
}

/** Runs the choice Update; its validator's refusals come back synchronously as ApplicationFailures. */
export async function chooseInRound(
  services: PlatformServices,
  tenant: TenantRef,
  communityId: string,
  args: ChooseReferentsArgs,
): Promise<ReferentRoundStatus> {
  const { handle: h } = handle(services, tenant, communityId);
  try {
    return await h.executeUpdate<ReferentRoundStatus, [ChooseReferentsArgs]>(
      REFERENT_SELECTION.chooseUpdate,
      { args: [args] },
    );
  } catch (err) {
    throw workflowError(err);
  }
}

function workflowError(err: unknown): VigieError {
  if (isNotFound(err)) return fail('REFERENT_ROUND_NOT_FOUND');
  const e = err as {
    name?: string;
    cause?: { name?: string; type?: string | null; cause?: { type?: string | null } };
  };
  if (e?.name === 'WorkflowUpdateFailedError') {
    // A validator's refusal is the ApplicationFailure itself; a handler's may come wrapped in an ActivityFailure.
    const type = e.cause?.type ?? e.cause?.cause?.type;
    if (type && isReferentErrorCode(type)) return fail(type);
  }
  return fail('REFERENT_WORKFLOW_UNAVAILABLE', undefined, undefined, { cause: err });
}
