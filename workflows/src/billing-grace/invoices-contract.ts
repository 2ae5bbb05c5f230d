// Factur-X for every finalised invoice: Chorus Pro takes a PDF/A-3 that carries
// the invoice's EN 16931 XML. One workflow per invoice (its id is the business
// key, so a redelivered webhook starts nothing twice); the activity renders and
// stores the document, and retries until it is there.

export const BILLING_FACTURX_WORKFLOW = 'billingFacturx';
export const BILLING_FACTURX_KIND = 'billing-facturx';

export interface BillingFacturxInput {
  tenantId: string;
  /** Stripe's invoice id (in_…). */
  invoiceId: string;
}

export type BillingFacturxResult = 'generated' | 'already' | 'not_final';

export interface BillingInvoiceActivities {
  /** Renders the invoice's Factur-X PDF from what Stripe told us, and stores it with the invoice. */
  billingGenerateFacturx(input: BillingFacturxInput): Promise<BillingFacturxResult>;
}
