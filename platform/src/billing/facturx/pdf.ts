// The human-readable side of the Factur-X document: one A4 page in French with
// the issuer, the commune and its Chorus Pro references, the lines, VAT and
// totals, and how to pay. PDF/A-3 wants every font embedded (DejaVu, shipped
// by Debian's fonts-dejavu-core) and an output intent with an ICC profile.
import { existsSync, readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, PDFString, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { fail } from '../errors.js';
import { srgbIccProfile } from './icc.js';
import type { InvoiceDoc, Party } from './invoice.js';

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF'];

function fontFile(name: string): Buffer {
  const dirs = process.env.VIGIE_INVOICE_FONT_DIR ? [process.env.VIGIE_INVOICE_FONT_DIR] : FONT_DIRS;
  for (const dir of dirs) {
    const p = `${dir}/${name}`;
    if (existsSync(p)) return readFileSync(p);
  }
  throw fail(
    'BILLING_INVOICE_RENDER_FAILED',
    `font ${name} not found (Debian: apt-get install fonts-dejavu-core)`,
  );
}

const euros = (cents: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })
    .format(cents / 100)
    .replace(/\u202f/g, ' ');
const frDate = (d: Date) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' }).format(d);

export async function invoicePdf(inv: InvoiceDoc): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fontFile('DejaVuSans.ttf'), { subset: true });
  const bold = await doc.embedFont(fontFile('DejaVuSans-Bold.ttf'), { subset: true });
  doc.setTitle(`Facture ${inv.number}`);
  doc.setAuthor(inv.issuer.name);
  doc.setSubject(`Facture ${inv.number} de ${inv.issuer.name} à ${inv.buyer.name}`);
  doc.setLanguage('fr-FR');
  doc.setCreator('Vigie');
  doc.setProducer('Vigie');
  doc.setCreationDate(inv.issuedAt);
  doc.setModificationDate(inv.issuedAt);

  const page = doc.addPage([595.28, 841.89]);
  const ink = rgb(0.1, 0.1, 0.12);
  let y = 790;
  const text = (s: string, x: number, o: { font?: PDFFont; size?: number; at?: number } = {}) =>
    page.drawText(s, { x, y: o.at ?? y, size: o.size ?? 10, font: o.font ?? regular, color: ink });
  const right = (s: string, xRight: number, o: { font?: PDFFont; size?: number } = {}) => {
    const f = o.font ?? regular;
    text(s, xRight - f.widthOfTextAtSize(s, o.size ?? 10), o);
  };

  text(inv.issuer.name, 50, { font: bold, size: 14 });
  right(`Facture n° ${inv.number}`, 545, { font: bold, size: 14 });
  y -= 18;
  for (const l of partyLines(inv.issuer)) {
    text(l, 50);
    y -= 13;
  }
  y = 772;
  right(`Date : ${frDate(inv.issuedAt)}`, 545);
  if (inv.dueAt) {
    y -= 13;
    right(`À payer avant le ${frDate(inv.dueAt)}`, 545);
  }

  y = 660;
  text('Facturé à', 320, { font: bold });
  y -= 14;
  text(inv.buyer.name, 320, { font: bold });
  y -= 13;
  for (const l of partyLines(inv.buyer)) {
    text(l, 320);
    y -= 13;
  }
  if (inv.serviceCode) {
    text(`Code service : ${inv.serviceCode}`, 320);
    y -= 13;
  }
  if (inv.commitmentNumber) {
    text(`N° d’engagement : ${inv.commitmentNumber}`, 320);
    y -= 13;
  }
  if (inv.periodStart && inv.periodEnd) {
    y -= 10;
    text(`Période : du ${frDate(inv.periodStart)} au ${frDate(inv.periodEnd)}`, 50);
  }

  y -= 30;
  drawLines(page, inv, { regular, bold }, y);
  y -= 30 + 18 * (inv.lines.length + 1);
  const rate = `${(inv.vatRate * 100).toLocaleString('fr-FR')} %`;
  for (const [label, value, strong] of [
    ['Total HT', euros(inv.subtotalCents), false],
    [`TVA ${rate}`, euros(inv.taxCents), false],
    ['Total TTC', euros(inv.totalCents), true],
    ...(inv.amountPaidCents > 0 ? [['Déjà payé', euros(inv.amountPaidCents), false] as const] : []),
    ['Net à payer', euros(inv.totalCents - inv.amountPaidCents), true],
  ] as Array<[string, string, boolean]>) {
    text(label, 360, strong ? { font: bold } : {});
    right(value, 545, strong ? { font: bold } : {});
    y -= 15;
  }

  y -= 25;
  text('Règlement', 50, { font: bold });
  y -= 14;
  text('Par virement à 30 jours, après service fait (mandat administratif).', 50);
  y -= 13;
  text(`IBAN : ${inv.issuer.iban}${inv.issuer.bic ? `   BIC : ${inv.issuer.bic}` : ''}`, 50);
  y -= 13;
  text(`Référence à rappeler : ${inv.number}`, 50);
  y = 60;
  text('Document Factur-X (EN 16931) : les données de la facture sont jointes au format XML.', 50, {
    size: 8,
  });

  // PDF/A: one output intent, sRGB, with its profile embedded.
  const icc = doc.context.flateStream(srgbIccProfile(), { N: 3 });
  const iccRef = doc.context.register(icc);
  const intent = doc.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: iccRef,
  });
  doc.catalog.set(PDFName.of('OutputIntents'), doc.context.obj([intent]));
  return doc.save({ useObjectStreams: false });
}

function partyLines(p: Party): string[] {
  return [
    ...(p.line1 ? [p.line1] : []),
    [p.postcode, p.city].filter(Boolean).join(' '),
    p.legalIdScheme === '0009' ? `SIRET ${p.legalId}` : `SIREN ${p.legalId}`,
    ...(p.vatNumber ? [`TVA intracommunautaire ${p.vatNumber}`] : []),
    ...(p.email ? [p.email] : []),
  ].filter((l) => l.length > 0);
}

function drawLines(
  page: PDFPage,
  inv: InvoiceDoc,
  f: { regular: PDFFont; bold: PDFFont },
  top: number,
): void {
  const ink = rgb(0.1, 0.1, 0.12);
  const cell = (s: string, x: number, y: number, font: PDFFont, alignRight = false) =>
    page.drawText(s, {
      x: alignRight ? x - font.widthOfTextAtSize(s, 10) : x,
      y,
      size: 10,
      font,
      color: ink,
    });
  cell('Désignation', 50, top, f.bold);
  cell('Qté', 400, top, f.bold, true);
  cell('Montant HT', 545, top, f.bold, true);
  page.drawLine({ start: { x: 50, y: top - 5 }, end: { x: 545, y: top - 5 }, thickness: 0.5, color: ink });
  inv.lines.forEach((l, i) => {
    const y = top - 20 - i * 18;
    const d = l.description.length > 60 ? `${l.description.slice(0, 59)}…` : l.description;
    cell(d, 50, y, f.regular);
    cell(String(l.quantity), 400, y, f.regular, true);
    cell(euros(l.amountCents), 545, y, f.regular, true);
  });
}
