// A whole BAN CSV checked in memory before anything is stored: what the
// onboarding of a commune shows the operator (lines refused with their
// numbers, or the addresses and their streets for the proposed sectors).
// The same line rules as the importer (readLine), so a file this accepts is
// imported line for line by importAddresses.
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { fail } from './errors.js';
import {
  BAN_REQUIRED_COLUMNS,
  MAX_LISTED_REJECTIONS,
  readHeader,
  readLine,
  type Rejection,
  type StreetCache,
} from './ban-import.js';

export interface CheckedAddress {
  banId: string;
  numero: number;
  rep: string | null;
  nomVoie: string;
  codePostal: string;
  streetKey: string;
  lon: number;
  lat: number;
}

export interface BanCheck {
  /** Data lines read (header excluded). */
  lines: number;
  addresses: CheckedAddress[];
  streets: number;
  rejected: Rejection[];
  rejectedCount: number;
  /** INSEE codes found on lines of another commune, with how many lines each. */
  otherCommunes: Record<string, number>;
}

/** Decodes strictly: a Latin-1 file would otherwise store "Ã‰mile" everywhere. */
export function decodeBan(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail('GEO_IMPORT_BAD_ENCODING');
  }
}

export function checkBanCsv(text: string, inseeCode: string): BanCheck {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: ';',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: 65_536,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    if (err instanceof CsvError)
      throw fail('GEO_IMPORT_MALFORMED_CSV', undefined, {
        line: (err as CsvError & { lines?: number }).lines ?? null,
        csvCode: err.code,
      });
    throw err;
  }
  const first = records[0];
  if (!first)
    throw fail(
      'GEO_IMPORT_BAD_HEADER',
      "Le fichier est vide : il manque l'en-tête BAN. Rien n'a été importé.",
      { missing: [...BAN_REQUIRED_COLUMNS], found: [] },
    );
  const columns = readHeader(first.record);
  const width = first.record.length;
  const out: BanCheck = {
    lines: 0,
    addresses: [],
    streets: 0,
    rejected: [],
    rejectedCount: 0,
    otherCommunes: {},
  };
  const streets: StreetCache = new Map();
  const seen = new Set<string>();
  const reject = (r: Rejection) => {
    out.rejectedCount++;
    if (out.rejected.length < MAX_LISTED_REJECTIONS) out.rejected.push(r);
  };
  for (const { record, info } of records.slice(1)) {
    out.lines++;
    const r = readLine(record, columns, width, inseeCode, streets);
    if ('reason' in r) {
      if (r.reason === 'other_commune') {
        const code = (record[columns.code_insee] ?? '').trim().slice(0, 10) || '(vide)';
        out.otherCommunes[code] = (out.otherCommunes[code] ?? 0) + 1;
      }
      reject({ line: info.lines, reason: r.reason, detail: r.detail });
      continue;
    }
    if (seen.has(r.row.ban_id)) {
      reject({
        line: info.lines,
        reason: 'duplicate_id',
        detail: `L’identifiant ${r.row.ban_id} apparaît plusieurs fois dans le fichier.`,
      });
      continue;
    }
    seen.add(r.row.ban_id);
    out.addresses.push({
      banId: r.row.ban_id,
      numero: r.row.numero,
      rep: r.row.rep,
      nomVoie: r.row.nom_voie,
      codePostal: r.row.code_postal,
      streetKey: r.row.street_key,
      lon: r.row.lon,
      lat: r.row.lat,
    });
  }
  out.streets = new Set(out.addresses.map((a) => a.streetKey)).size;
  return out;
}
