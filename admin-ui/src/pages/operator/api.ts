// The operator REST API as the console calls it: same origin, the operator's
// own cookie (path /operator), and the session's CSRF token on every change.
import { useCallback, useEffect, useState } from 'react';

export class OperatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface OperatorSession {
  email: string;
  csrfToken: string;
}

export async function opCall<T>(
  method: 'GET' | 'POST',
  url: string,
  opts: { csrf?: string; json?: unknown; body?: Blob | string; contentType?: string } = {},
): Promise<T> {
  // The server's messages follow the page's language, as the shell's GraphQL requests do.
  const headers: Record<string, string> = { 'accept-language': document.documentElement.lang || 'fr' };
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'text/csv';
    body = opts.body;
  }
  const res = await fetch(url, { method, credentials: 'same-origin', headers, ...(body ? { body } : {}) });
  const j = (await res.json().catch(() => ({}))) as T & {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
  };
  if (!res.ok) throw new OperatorError(j.code ?? 'NETWORK', j.message ?? '', j.details);
  return j;
}

/** The signed-in operator, asked of the server on each page; null once it says there is none. */
export function useOperatorSession(): {
  session: OperatorSession | null | undefined;
  reload(): void;
} {
  const [session, setSession] = useState<OperatorSession | null | undefined>(undefined);
  const reload = useCallback(() => {
    opCall<OperatorSession>('GET', '/operator/session').then(setSession, () => setSession(null));
  }, []);
  useEffect(reload, [reload]);
  return { session, reload };
}

export interface CommuneRow {
  slug: string;
  name: string;
  inseeCode: string;
  status: 'trial' | 'active' | 'suspended';
  createdAt: string;
  plan: {
    tier: string | null;
    state: string;
    graceUntil: string | null;
    /** A cancelled commune's data deletion, and the workflow that performs it. */
    deletion: { dueAt: string | null; deletedAt: string | null; workflowId: string } | null;
  };
  smsThisMonth: number;
  members: number;
  addresses: number;
  sectors: number;
  lastAlertAt: string | null;
  health: { failedDeliveries7d: number; failingWorkflows7d: number | null; webhooksRefused7d: number };
}

/** GET /operator/health: what the platform refused without knowing a commune. */
export interface PlatformHealth {
  webhooksRefused7d: { total: number; byCode: Array<{ provider: string; code: string; count: number }> };
}

export interface Transition {
  at: string;
  slug: string | null;
  action: string;
  source: 'operator' | 'billing' | 'system';
  operatorEmail: string | null;
  meta: Record<string, unknown>;
}

export interface CommuneInfo {
  inseeCode: string;
  name: string;
  postalCodes: string[];
  population: number | null;
  departement: string | null;
  slug: string;
}

export type Geometry =
  { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface ProposedSector {
  key: string;
  name: string;
  households: number;
  streets: string[];
  geometry: Geometry;
}

export interface Proposal {
  format: 'ban' | 'bal';
  issues: Array<{ line: number | null; code: string; label: string; level: 'E' | 'W' | 'I' }>;
  lines: number;
  addresses: number;
  streets: number;
  sectors: ProposedSector[];
  points: Array<[number, number]>;
  ms: number;
}

export interface Onboarded {
  slug: string;
  name: string;
  addresses: number;
  sectors: number;
  portalUrl: string;
  ms: number;
}
