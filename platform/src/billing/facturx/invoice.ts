// What a Factur-X document says, independent of Stripe's shapes: the invoice
// as recorded from a signed event, who issues it (Vigie's operating company)
// and who receives it (the commune, with what Chorus Pro routes on).

export interface Party {
  name: string;
  /** SIRET (14 digits) of the commune; SIREN of the issuer. */
  legalId: string;
  legalIdScheme: '0002' | '0009';
  vatNumber?: string;
  line1?: string;
  postcode?: string;
  city?: string;
  country: string;
  email?: string;
}

export interface Issuer extends Party {
  iban: string;
  bic?: string;
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  /** Excluding VAT, in cents. */
  amountCents: number;
  periodStart?: Date | null;
  periodEnd?: Date | null;
}

export interface InvoiceDoc {
  number: string;
  issuedAt: Date;
  dueAt: Date | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  currency: string;
  vatRate: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  amountPaidCents: number;
  lines: InvoiceLine[];
  issuer: Issuer;
  buyer: Party;
  /** Chorus Pro « code service » (BT-10, buyer reference). */
  serviceCode: string | null;
  /** Chorus Pro « numéro d'engagement » (BT-13, purchase order reference). */
  commitmentNumber: string | null;
}
