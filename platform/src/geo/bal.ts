// A commune's own Base Adresse Locale (BAL 1.4, the format communes maintain
// themselves and publish to the BAN), checked by the BAN team's own validator
// (@ban-team/validateur-bal, profile 1.4) and turned into the addresses the
// onboarding proposes sectors from and imports.
//
// The validator is loaded on first use (it pulls papaparse, proj4 and
// friends; vigie api must not carry them until an operator uploads a BAL).
// It asks plateforme.adresse.data.gouv.fr for the commune's BAN id to check the
// id_ban_* columns; without the network it says so on stderr and skips that
// check, which only ever gives warnings.
import { fail } from './errors.js';
import type { CheckedAddress } from './ban-check.js';
import { streetKey } from './normalize.js';

/** A BAL file says so by its columns: the BAN CSV has `id`, a BAL `cle_interop`. */
export function looksLikeBal(text: string): boolean {
  const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  return header.split(';').some((c) => c.trim() === 'cle_interop');
}

export interface BalIssue {
  /** Line of the file (the header is line 1); null for the file as a whole. */
  line: number | null;
  code: string;
  /** The validator's own French label. */
  label: string;
  level: 'E' | 'W' | 'I';
}

export interface BalCheck {
  lines: number;
  addresses: CheckedAddress[];
  /** Warnings and information the validator reported (errors refuse the file). */
  issues: BalIssue[];
  otherCommunes: Record<string, number>;
}

export const MAX_BAL_ISSUES = 500;
/** BAL's number for a place name without addresses (a toponyme), not a home. */
const TOPONYME = 99999;

export async function checkBal(bytes: Buffer, inseeCode: string, postalCode: string): Promise<BalCheck> {
  const bal = await import('@ban-team/validateur-bal');
  const report = await bal.validate(bytes, { profile: '1.4' });
  if (!('rows' in report)) {
    throw fail('GEO_IMPORT_MALFORMED_CSV', undefined, {
      line: null,
      csvCode: report.parseErrors[0]?.code ?? 'BAL_PARSE',
    });
  }
  const label = (code: string) => {
    try {
      return bal.getLabel(code) || code;
    } catch {
      return code;
    }
  };
  const issues: BalIssue[] = [];
  for (const f of report.notFoundFields)
    if (f.level)
      issues.push({
        line: null,
        code: `field.${f.schemaName}.missing`,
        label: label(`field.${f.schemaName}.missing`),
        level: f.level,
      });
  for (const code of report.globalErrors) {
    const level = bal.getErrorLevel('1.4', code);
    if (level) issues.push({ line: null, code, label: label(code), level });
  }
  const addresses: CheckedAddress[] = [];
  const otherCommunes: Record<string, number> = {};
  for (const row of report.rows) {
    const line = row.line + 2;
    for (const e of row.errors)
      if (e.level) issues.push({ line, code: e.code, label: label(e.code), level: e.level });
    const v = row.parsedValues as Record<string, unknown>;
    const commune = String(v.commune_insee ?? row.rawValues.commune_insee ?? '');
    if (commune !== inseeCode) {
      otherCommunes[commune || '(vide)'] = (otherCommunes[commune || '(vide)'] ?? 0) + 1;
      continue;
    }
    const numero = Number(v.numero);
    if (!row.isValid || numero === TOPONYME || !Number.isInteger(numero)) continue;
    const nomVoie = String(v.voie_nom ?? '').trim();
    const lon = Number(v.long);
    const lat = Number(v.lat);
    addresses.push({
      banId: String(v.cle_interop ?? '').slice(0, 80),
      numero,
      rep: typeof v.suffixe === 'string' && v.suffixe ? v.suffixe.slice(0, 16) : null,
      nomVoie,
      codePostal: postalCode,
      streetKey: streetKey(nomVoie, postalCode),
      lon,
      lat,
    });
  }
  // The validator names a missing column both as a field and as a global error.
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = `${i.line}:${i.code}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  issues.length = 0;
  issues.push(...unique);
  const errors = issues.filter((i) => i.level === 'E');
  const isValid = report.profilesValidation['1.4']?.isValid ?? errors.length === 0;
  if (!isValid || errors.length) {
    throw fail('GEO_BAL_INVALID', undefined, {
      errorCount: errors.length,
      issues: [...errors, ...issues.filter((i) => i.level !== 'E')].slice(0, MAX_BAL_ISSUES),
    });
  }
  return { lines: report.rows.length, addresses, issues: issues.slice(0, MAX_BAL_ISSUES), otherCommunes };
}

const BAN_COLUMNS = [
  'id',
  'id_fantoir',
  'numero',
  'rep',
  'nom_voie',
  'code_postal',
  'code_insee',
  'nom_commune',
  'lon',
  'lat',
];

/** The BAL's addresses as a BAN CSV (the format the importer and tenants/<slug>/addresses.csv use). */
export function balToBanCsv(addresses: CheckedAddress[], inseeCode: string, communeName: string): string {
  const cell = (s: string) => (/[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [BAN_COLUMNS.join(';')];
  for (const a of addresses)
    lines.push(
      [
        a.banId,
        '',
        String(a.numero),
        a.rep ?? '',
        a.nomVoie,
        a.codePostal,
        inseeCode,
        communeName,
        String(a.lon),
        String(a.lat),
      ]
        .map(cell)
        .join(';'),
    );
  return `${lines.join('\n')}\n`;
}
