// The billing REST routes, as the pages call them (same origin, session cookie, CSRF header).
import { csrfHeaders } from '../../shell/client.js';

export interface Tier {
  id: string;
  minPopulation: number;
  maxPopulation: number | null;
  yearlyPriceCents: number;
  yearlyPriceWithVatCents: number;
  smsIncludedPerYear: number;
  smsPriceCents: number;
}
export interface PriceList {
  vatRate: number;
  tiers: Tier[];
}
export interface Subscription {
  state: 'none' | 'active' | 'past_due' | 'suspended' | 'cancelled';
  tier: Tier | null;
  vatRate: number;
  siret: string | null;
  serviceCode: string | null;
  commitmentNumber: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  graceUntil: string | null;
}
export interface Invoice {
  id: string;
  number: string | null;
  status: 'open' | 'paid' | 'void' | 'uncollectible';
  currency: string;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  amountDueCents: number;
  amountPaidCents: number;
  issuedAt: string | null;
  dueAt: string | null;
  paidAt: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  hostedInvoiceUrl: string | null;
  facturx: 'ready' | 'pending' | 'none';
}
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...csrfHeaders() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const j = (await res.json().catch(() => ({}))) as T & {
    code?: string;
    message?: string;
    details?: { field?: string };
  };
  if (!res.ok) throw new ApiError(j.code ?? 'NETWORK', j.message ?? '', j.details?.field);
  return j;
}
