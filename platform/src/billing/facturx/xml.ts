// The invoice as UN/CEFACT CII (Cross Industry Invoice, D16B), EN 16931 profile
// of Factur-X 1.0: the XML that Chorus Pro reads out of the PDF. Element order
// follows the schema; the converter checks it against Factur-X's own XSD.
import type { InvoiceDoc, Party } from './invoice.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const amount = (cents: number) => (cents / 100).toFixed(2);

/** YYYYMMDD in Paris: an invoice dated the 1st at 00:30 is dated the 1st. */
function day(d: Date): string {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
  return p.replace(/-/g, '');
}

const date = (tag: string, d: Date) =>
  `<ram:${tag}><udt:DateTimeString format="102">${day(d)}</udt:DateTimeString></ram:${tag}>`;

function party(tag: string, p: Party): string {
  const address = [
    p.postcode ? `<ram:PostcodeCode>${esc(p.postcode)}</ram:PostcodeCode>` : '',
    p.line1 ? `<ram:LineOne>${esc(p.line1)}</ram:LineOne>` : '',
    p.city ? `<ram:CityName>${esc(p.city)}</ram:CityName>` : '',
    `<ram:CountryID>${esc(p.country)}</ram:CountryID>`,
  ].join('');
  return [
    `<ram:${tag}>`,
    `<ram:Name>${esc(p.name)}</ram:Name>`,
    `<ram:SpecifiedLegalOrganization><ram:ID schemeID="${p.legalIdScheme}">${esc(p.legalId)}</ram:ID></ram:SpecifiedLegalOrganization>`,
    `<ram:PostalTradeAddress>${address}</ram:PostalTradeAddress>`,
    p.email
      ? `<ram:URIUniversalCommunication><ram:URIID schemeID="EM">${esc(p.email)}</ram:URIID></ram:URIUniversalCommunication>`
      : '',
    p.vatNumber
      ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${esc(p.vatNumber)}</ram:ID></ram:SpecifiedTaxRegistration>`
      : '',
    `</ram:${tag}>`,
  ].join('');
}

export function facturxXml(inv: InvoiceDoc): string {
  const rate = (inv.vatRate * 100).toFixed(2).replace(/\.?0+$/, '');
  const cur = inv.currency.toUpperCase();
  const period = (start: Date | null | undefined, end: Date | null | undefined) =>
    start && end
      ? `<ram:BillingSpecifiedPeriod>${date('StartDateTime', start)}${date('EndDateTime', end)}</ram:BillingSpecifiedPeriod>`
      : '';
  const lines = inv.lines
    .map(
      (l, i) =>
        `<ram:IncludedSupplyChainTradeLineItem>` +
        `<ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>` +
        `<ram:SpecifiedTradeProduct><ram:Name>${esc(l.description)}</ram:Name></ram:SpecifiedTradeProduct>` +
        `<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${amount(
          Math.round(l.amountCents / (l.quantity || 1)),
        )}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>` +
        `<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${l.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>` +
        `<ram:SpecifiedLineTradeSettlement>` +
        `<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>${rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>` +
        period(l.periodStart, l.periodEnd) +
        `<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${amount(l.amountCents)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>` +
        `</ram:SpecifiedLineTradeSettlement>` +
        `</ram:IncludedSupplyChainTradeLineItem>`,
    )
    .join('');
  const due = inv.totalCents - inv.amountPaidCents;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">',
    '<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>',
    '<rsm:ExchangedDocument>',
    `<ram:ID>${esc(inv.number)}</ram:ID>`,
    '<ram:TypeCode>380</ram:TypeCode>',
    date('IssueDateTime', inv.issuedAt),
    '</rsm:ExchangedDocument>',
    '<rsm:SupplyChainTradeTransaction>',
    lines,
    '<ram:ApplicableHeaderTradeAgreement>',
    inv.serviceCode ? `<ram:BuyerReference>${esc(inv.serviceCode)}</ram:BuyerReference>` : '',
    party('SellerTradeParty', inv.issuer),
    party('BuyerTradeParty', inv.buyer),
    inv.commitmentNumber
      ? `<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>${esc(inv.commitmentNumber)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>`
      : '',
    '</ram:ApplicableHeaderTradeAgreement>',
    '<ram:ApplicableHeaderTradeDelivery/>',
    '<ram:ApplicableHeaderTradeSettlement>',
    `<ram:PaymentReference>${esc(inv.number)}</ram:PaymentReference>`,
    `<ram:InvoiceCurrencyCode>${cur}</ram:InvoiceCurrencyCode>`,
    '<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode>',
    `<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${esc(inv.issuer.iban.replace(/\s+/g, ''))}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>`,
    inv.issuer.bic
      ? `<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>${esc(inv.issuer.bic)}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>`
      : '',
    '</ram:SpecifiedTradeSettlementPaymentMeans>',
    `<ram:ApplicableTradeTax><ram:CalculatedAmount>${amount(inv.taxCents)}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>${amount(inv.subtotalCents)}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>${rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>`,
    period(inv.periodStart, inv.periodEnd),
    '<ram:SpecifiedTradePaymentTerms>',
    '<ram:Description>Virement à 30 jours (mandat administratif)</ram:Description>',
    inv.dueAt ? date('DueDateDateTime', inv.dueAt) : '',
    '</ram:SpecifiedTradePaymentTerms>',
    '<ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
    `<ram:LineTotalAmount>${amount(inv.lines.reduce((s, l) => s + l.amountCents, 0))}</ram:LineTotalAmount>`,
    `<ram:TaxBasisTotalAmount>${amount(inv.subtotalCents)}</ram:TaxBasisTotalAmount>`,
    `<ram:TaxTotalAmount currencyID="${cur}">${amount(inv.taxCents)}</ram:TaxTotalAmount>`,
    `<ram:GrandTotalAmount>${amount(inv.totalCents)}</ram:GrandTotalAmount>`,
    `<ram:TotalPrepaidAmount>${amount(inv.amountPaidCents)}</ram:TotalPrepaidAmount>`,
    `<ram:DuePayableAmount>${amount(due)}</ram:DuePayableAmount>`,
    '</ram:SpecifiedTradeSettlementHeaderMonetarySummation>',
    '</ram:ApplicableHeaderTradeSettlement>',
    '</rsm:SupplyChainTradeTransaction>',
    '</rsm:CrossIndustryInvoice>',
  ].join('\n');
}
