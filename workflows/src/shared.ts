/** Workflow IDs are business keys prefixed by the tenant: `serris/alert-delivery/<alertId>`. */
export function workflowId(tenantSlug: string, kind: string, key: string): string {
  return `${tenantSlug}/${kind}/${key}`;
}

/** Name of the search attribute every workflow carries. */
export const TENANT_SEARCH_ATTRIBUTE = 'TenantId';
