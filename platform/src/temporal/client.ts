import {
  Client,
  Connection,
  type WorkflowClientInterceptor,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TENANT_SEARCH_ATTRIBUTE, workflowId } from '@vigie/workflows/contracts';

export const TenantIdKey = defineSearchAttributeKey(TENANT_SEARCH_ATTRIBUTE, SearchAttributeType.KEYWORD);

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

export interface Temporal {
  connection: Connection;
  client: Client;
  settings: TemporalSettings;
  close(): Promise<void>;
}

export async function connectTemporal(
  settings: TemporalSettings,
  opts: { connectTimeoutMs?: number; interceptors?: WorkflowClientInterceptor[] } = {},
): Promise<Temporal> {
  const connection = await Connection.connect({
    address: settings.address,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
  });
  const client = new Client({
    connection,
    namespace: settings.namespace,
    ...(opts.interceptors?.length ? { interceptors: { workflow: opts.interceptors } } : {}),
  });
  return { connection, client, settings, close: () => connection.close() };
}

/** Registers the TenantId search attribute when the namespace lacks it (external clusters). */
export async function ensureSearchAttributes(t: Temporal): Promise<void> {
  const list = await t.connection.operatorService.listSearchAttributes({ namespace: t.settings.namespace });
  if (list.customAttributes?.[TENANT_SEARCH_ATTRIBUTE] !== undefined) return;
  await t.connection.operatorService.addSearchAttributes({
    namespace: t.settings.namespace,
    searchAttributes: { [TENANT_SEARCH_ATTRIBUTE]: 2 /* INDEXED_VALUE_TYPE_KEYWORD */ },
  });
}

/** Start options every tenant workflow gets: business-key ID and the TenantId search attribute. */
export function tenantWorkflowOptions(
  t: Temporal,
  tenant: { id: string; slug: string },
  kind: string,
  key: string,
): Pick<WorkflowStartOptions, 'workflowId' | 'taskQueue' | 'typedSearchAttributes'> {
  return {
    workflowId: workflowId(tenant.slug, kind, key),
    taskQueue: t.settings.taskQueue,
    typedSearchAttributes: [{ key: TenantIdKey, value: tenant.id }],
  };
}

/** Is the frontend reachable and the namespace there? Used by /readyz. */
export async function temporalReady(t: Temporal, timeoutMs = 2000): Promise<boolean> {
  try {
    await t.connection.withDeadline(Date.now() + timeoutMs, () =>
      t.connection.workflowService.describeNamespace({ namespace: t.settings.namespace }),
    );
    return true;
  } catch {
    return false;
  }
}
