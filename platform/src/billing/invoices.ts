// The commune's invoices: recorded from Stripe's signed invoice events (the
// amounts are Stripe's, never recomputed), listed on the mairie's billing page,
// and turned into a Factur-X PDF for Chorus Pro by a workflow per invoice as
// soon as Stripe finalises one.
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  BILLING_FACTURX_KIND,
  BILLING_FACTURX_WORKFLOW,
  type BillingFacturxInput,
  type BillingFacturxResult,
  type BillingInvoiceActivities,
} from '@vigie/workflows/contracts';
import { tenantWorkflowOptions, type Temporal } from '../temporal/index.js';
import { communeRegistry } from '../tenants/index.js';
import { fail } from './errors.js';
import { renderFacturx, type InvoiceDoc, type Issuer } from './facturx/index.js';
import type { PriceList } from './price-list.js';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
export type FacturxStatus = 'none' | 'pending' | 'ready' | 'failed';

export interface InvoiceRow {
  stripe_invoice_id: string;
  tenant_id: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  subtotal_cents: string | number;
  tax_cents: string | number;
  total_cents: string | number;
  amount_due_cents: string | number;
  amount_paid_cents: string | number;
  lines: Array<{ description: string; quantity: number; amountCents: number; start?: string; end?: string }>;
  issued_at: Date | null;
  due_at: Date | null;
  period_start: Date | null;
  period_end: Date | null;
  paid_at: Date | null;
  hosted_invoice_url: string | null;
  stripe_updated_at: Date;
  facturx_status: FacturxStatus;
  facturx_error: string | null;
}

/** Everything but the PDF, which only the download reads. */
const LISTED = [
  'stripe_invoice_id',
  'tenant_id',
  'number',
  'status',
  'currency',
  'subtotal_cents',
  'tax_cents',
  'total_cents',
  'amount_due_cents',
  'amount_paid_cents',
  'lines',
  'issued_at',
  'due_at',
  'period_start',
  'period_end',
  'paid_at',
  'hosted_invoice_url',
  'stripe_updated_at',
  'facturx_status',
  'facturx_error',
] as const;

const STATUSES = new Set<InvoiceStatus>(['draft', 'open', 'paid', 'void', 'uncollectible']);
const at = (s: number | null | undefined) => (typeof s === 'number' && s > 0 ? new Date(s * 1000) : null);

/** The row Stripe's invoice object gives; the event time orders snapshots. */
export function invoiceSnapshot(inv: Stripe.Invoice, tenantId: string, eventAt: Date) {
  const status = (inv.status ?? 'draft') as InvoiceStatus;
  if (!STATUSES.has(status)) throw fail('VALIDATION_FAILED', `unknown invoice status ${String(inv.status)}`);
  const lines = (inv.lines?.data ?? []).map((l) => ({
    description: (l.description ?? '').slice(0, 500),
    quantity: l.quantity ?? 1,
    amountCents: l.amount,
    ...(l.period?.start ? { start: new Date(l.period.start * 1000).toISOString() } : {}),
    ...(l.period?.end ? { end: new Date(l.period.end * 1000).toISOString() } : {}),
  }));
  const excl = (inv as { total_excluding_tax?: number | null }).total_excluding_tax ?? inv.subtotal;
  const first = inv.lines?.data?.[0]?.period;
  return {
    stripe_invoice_id: inv.id!,
    tenant_id: tenantId,
    number: inv.number ?? null,
    status,
    currency: inv.currency,
    subtotal_cents: excl,
    tax_cents: inv.total - excl,
    total_cents: inv.total,
    amount_due_cents: inv.amount_due,
    amount_paid_cents: inv.amount_paid,
    lines: JSON.stringify(lines),
    issued_at: at(inv.status_transitions?.finalized_at) ?? (status === 'draft' ? null : at(inv.created)),
    due_at: at(inv.due_date),
    period_start: at(first?.start) ?? at(inv.period_start),
    period_end: at(first?.end) ?? at(inv.period_end),
    paid_at: at(inv.status_transitions?.paid_at),
    hosted_invoice_url: inv.hosted_invoice_url ?? null,
    stripe_updated_at: eventAt,
  };
}

export interface InvoiceDeps {
  operatorDb: Knex;
  temporal: Temporal | undefined;
  log: { error: (o: object, msg: string) => void };
}

/**
 * Upserts the invoice unless a newer snapshot is stored (events arrive out of
 * order), then starts its Factur-X workflow once it is final. Returns whether
 * the row changed.
 */
export async function recordInvoice(
  deps: InvoiceDeps,
  tenantId: string,
  inv: Stripe.Invoice,
  eventAt: Date,
): Promise<boolean> {
  // Stripe always sends the whole invoice; an object without its amounts is
  // not one we can account for: the state machine still acts on the event.
  if (typeof inv.total !== 'number' || typeof inv.subtotal !== 'number' || !inv.currency) {
    deps.log.error({ invoice: inv.id, tenantId }, 'invoice event without amounts: not recorded');
    return false;
  }
  const row = invoiceSnapshot(inv, tenantId, eventAt);
  const { stripe_invoice_id: _id, tenant_id: _t, ...update } = row;
  const result = await deps.operatorDb.raw(
    `insert into billing_invoices (${Object.keys(row).join(', ')})
     values (${Object.keys(row)
       .map(() => '?')
       .join(', ')})
     on conflict (stripe_invoice_id) do update set ${Object.keys(update)
       .map((k) => `${k} = excluded.${k}`)
       .join(', ')}
     where billing_invoices.tenant_id = excluded.tenant_id
       and billing_invoices.stripe_updated_at <= excluded.stripe_updated_at
     returning stripe_invoice_id`,
    Object.values(row),
  );
  const changed = (result.rows as unknown[]).length > 0;
  if (changed && (row.status === 'open' || row.status === 'paid') && row.number)
    await startFacturx(deps, tenantId, row.stripe_invoice_id);
  return changed;
}

/** Claims the invoice's document (none → pending) and starts the workflow; a rerun finds it claimed. */
async function startFacturx(deps: InvoiceDeps, tenantId: string, invoiceId: string): Promise<void> {
  const claimed = await deps
    .operatorDb('billing_invoices as i')
    .join('tenants as t', 't.id', 'i.tenant_id')
    .where({ 'i.stripe_invoice_id': invoiceId })
    .whereIn('i.facturx_status', ['none'])
    .first('t.slug');
  if (!claimed || !deps.temporal) return;
  await deps
    .operatorDb('billing_invoices')
    .where({ stripe_invoice_id: invoiceId })
    .update({ facturx_status: 'pending' });
  const input: BillingFacturxInput = { tenantId, invoiceId };
  try {
    await deps.temporal.client.workflow.start(BILLING_FACTURX_WORKFLOW, {
      ...tenantWorkflowOptions(
        deps.temporal,
        { id: tenantId, slug: claimed.slug as string },
        BILLING_FACTURX_KIND,
        invoiceId,
      ),
      args: [input],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

export function loadIssuer(file: URL = new URL('./issuer.json', import.meta.url)): Issuer {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Issuer & { $comment?: string };
  const { $comment: _c, ...issuer } = raw;
  return issuer;
}

/** The Factur-X document of an invoice, from what is stored: Stripe's amounts, the commune's identifiers. */
export async function invoiceDoc(
  db: Knex,
  invoiceId: string,
  o: { issuer: Issuer; priceList: PriceList },
): Promise<InvoiceDoc | undefined> {
  const r = await db('billing_invoices as i')
    .join('billing_accounts as b', 'b.tenant_id', 'i.tenant_id')
    .join('tenants as t', 't.id', 'i.tenant_id')
    .where({ 'i.stripe_invoice_id': invoiceId })
    .first<
      | (InvoiceRow & {
          siret: string | null;
          service_code: string | null;
          commitment_number: string | null;
          name: string;
          insee_code: string;
        })
      | undefined
    >(
      ...LISTED.map((c) => `i.${c}`),
      'b.siret',
      'b.service_code',
      'b.commitment_number',
      't.name',
      't.insee_code',
    );
  if (!r || !r.number || !r.issued_at) return undefined;
  const official = communeRegistry().current(r.insee_code);
  return {
    number: r.number,
    issuedAt: r.issued_at,
    dueAt: r.due_at,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    currency: r.currency,
    vatRate: o.priceList.vatRate,
    subtotalCents: Number(r.subtotal_cents),
    taxCents: Number(r.tax_cents),
    totalCents: Number(r.total_cents),
    amountPaidCents: Number(r.amount_paid_cents),
    lines: r.lines.map((l) => ({
      description: l.description || 'Abonnement Vigie',
      quantity: l.quantity,
      amountCents: l.amountCents,
      periodStart: l.start ? new Date(l.start) : null,
      periodEnd: l.end ? new Date(l.end) : null,
    })),
    issuer: o.issuer,
    buyer: {
      name: official ? `Commune de ${official.nom}` : r.name,
      legalId: r.siret ?? '',
      legalIdScheme: '0009',
      ...(official?.codesPostaux?.[0] ? { postcode: official.codesPostaux[0] } : {}),
      city: official?.nom ?? r.name,
      country: 'FR',
    },
    serviceCode: r.service_code,
    commitmentNumber: r.commitment_number,
  };
}

export async function generateFacturx(
  deps: { operatorDb: Knex; issuer: Issuer; priceList: PriceList },
  { invoiceId }: BillingFacturxInput,
): Promise<BillingFacturxResult> {
  const row = await deps
    .operatorDb('billing_invoices')
    .where({ stripe_invoice_id: invoiceId })
    .first<Pick<InvoiceRow, 'status' | 'facturx_status'> | undefined>('status', 'facturx_status');
  if (!row) return 'not_final';
  if (row.facturx_status === 'ready') return 'already';
  if (row.status !== 'open' && row.status !== 'paid') return 'not_final';
  const doc = await invoiceDoc(deps.operatorDb, invoiceId, deps);
  if (!doc) return 'not_final';
  try {
    const pdf = await renderFacturx(doc);
    await deps
      .operatorDb('billing_invoices')
      .where({ stripe_invoice_id: invoiceId })
      .update({ facturx_pdf: pdf, facturx_status: 'ready', facturx_error: null });
    return 'generated';
  } catch (err) {
    // Seen by the operator console; the activity retries until a fix is deployed.
    await deps
      .operatorDb('billing_invoices')
      .where({ stripe_invoice_id: invoiceId })
      .update({ facturx_status: 'failed', facturx_error: String((err as Error).message).slice(0, 500) });
    throw err;
  }
}

export function invoiceView(r: InvoiceRow) {
  return {
    id: r.stripe_invoice_id,
    number: r.number,
    status: r.status,
    currency: r.currency,
    subtotalCents: Number(r.subtotal_cents),
    taxCents: Number(r.tax_cents),
    totalCents: Number(r.total_cents),
    amountDueCents: Number(r.amount_due_cents),
    amountPaidCents: Number(r.amount_paid_cents),
    issuedAt: r.issued_at ? new Date(r.issued_at).toISOString() : null,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
    periodStart: r.period_start ? new Date(r.period_start).toISOString() : null,
    periodEnd: r.period_end ? new Date(r.period_end).toISOString() : null,
    hostedInvoiceUrl: r.hosted_invoice_url,
    facturx: r.facturx_status === 'ready' ? 'ready' : r.facturx_status === 'none' ? 'none' : 'pending',
  };
}

export async function listInvoices(db: Knex, tenantId: string): Promise<InvoiceRow[]> {
  return db('billing_invoices')
    .where({ tenant_id: tenantId })
    .whereNot({ status: 'draft' })
    .orderBy([
      { column: 'issued_at', order: 'desc', nulls: 'last' },
      { column: 'stripe_invoice_id', order: 'desc' },
    ])
    .select(...LISTED);
}

export async function facturxPdf(
  db: Knex,
  tenantId: string,
  invoiceId: string,
): Promise<{ number: string; pdf: Buffer }> {
  const r = await db('billing_invoices')
    .where({ tenant_id: tenantId, stripe_invoice_id: invoiceId })
    .whereNot({ status: 'draft' })
    .first<{ number: string | null; facturx_status: FacturxStatus; facturx_pdf: Buffer | null } | undefined>(
      'number',
      'facturx_status',
      'facturx_pdf',
    );
  if (!r) throw fail('BILLING_INVOICE_NOT_FOUND');
  if (r.facturx_status !== 'ready' || !r.facturx_pdf) throw fail('BILLING_FACTURX_NOT_READY');
  return { number: r.number ?? invoiceId, pdf: r.facturx_pdf };
}

export function createInvoiceActivities(deps: {
  operatorDb: Knex;
  issuer: Issuer;
  priceList: PriceList;
}): BillingInvoiceActivities {
  return { billingGenerateFacturx: (input) => generateFacturx(deps, input) };
}
