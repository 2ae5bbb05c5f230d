// The proofs of address a mairie agent may accept at the counter (issue 12).
// Only the kind is kept, in the audit log; the document is seen, never stored.
// No import: the plugin API re-exports it.
/** The documents an agent may accept at the counter; only the kind is kept, in the audit log. */
export const COUNTER_PROOF_KINDS = {
  energy_bill: { fr: 'Facture d’électricité ou de gaz', en: 'Electricity or gas bill' },
  water_bill: { fr: 'Facture d’eau', en: 'Water bill' },
  telecom_bill: { fr: 'Facture de téléphone ou d’internet', en: 'Phone or internet bill' },
  rent_receipt: { fr: 'Quittance de loyer', en: 'Rent receipt' },
  tax_notice: { fr: 'Avis d’imposition ou de taxe foncière', en: 'Tax notice' },
  home_insurance: { fr: 'Attestation d’assurance habitation', en: 'Home insurance certificate' },
  title_deed: { fr: 'Titre de propriété', en: 'Title deed' },
} as const;
export type CounterProofKind = keyof typeof COUNTER_PROOF_KINDS;
