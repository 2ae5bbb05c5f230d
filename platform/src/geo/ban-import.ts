// Import of a commune's addresses from the Base Adresse Nationale CSV format
// (https://adresse.data.gouv.fr/donnees-nationales: `adresses-<dep>.csv`,
// semicolon-separated, UTF-8).
//
// What is all-or-nothing and what is per line:
// - A file that is not a BAN file (wrong header, not UTF-8, broken CSV
//   quoting, a line longer than any address) aborts the whole import: its
//   transaction rolls back and nothing is stored, not even the lines already read.
// - A line that is fine as CSV but wrong as an address (another commune, no id,
//   bad coordinates…) is rejected and reported with its line number and reason;
//   the good lines are imported. `strict: true` turns any rejection into an
//   abort (GEO_IMPORT_LINES_REJECTED), for imports that must be exact.
//
// The file is streamed: a département extract (hundreds of thousands of lines,
// most for other communes) never sits in memory. It is idempotent by BAN id:
// a second run reports every line unchanged.
import { createReadStream } from 'node:fs';
import { fail } from './errors.js';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import type { Knex } from 'knex';
import { isVigieError } from '../lib/errors.js';
import { withTenant } from '../db/index.js';
import './errors.js';
import { streetKey, streetSearchText } from './normalize.js';
import { loadSectorIndex, sectorAt, type SectorIndex } from './assign.js';
import { emitAddressesReassigned, type AddressSectorChange, type GeoHooks } from './hooks.js';
import { lockTenantGeography } from './lock.js';

/** Columns the importer reads; a BAN file has more (x, y, type_position, cad_parcelles…), which are ignored. */
export const BAN_REQUIRED_COLUMNS = [
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
] as const;
type Column = (typeof BAN_REQUIRED_COLUMNS)[number];

/** The full header of a BAN `adresses-*.csv` file, in order (what the generators write). */
export const BAN_HEADER = [
  'id',
  'id_fantoir',
  'numero',
  'rep',
  'nom_voie',
  'code_postal',
  'code_insee',
  'nom_commune',
  'code_insee_ancienne_commune',
  'nom_ancienne_commune',
  'x',
  'y',
  'lon',
  'lat',
  'type_position',
  'alias',
  'nom_ld',
  'libelle_acheminement',
  'nom_afnor',
  'source_position',
  'source_nom_voie',
  'certification_commune',
  'cad_parcelles',
] as const;

export type RejectionReason =
  | 'column_count'
  | 'other_commune'
  | 'missing_id'
  | 'bad_id'
  | 'duplicate_id'
  | 'bad_number'
  | 'missing_street'
  | 'bad_postcode'
  | 'missing_commune'
  | 'bad_coordinates';

export interface Rejection {
  /** Line number in the file (the header is line 1). */
  line: number;
  reason: RejectionReason;
  /** Human explanation, in French. */
  detail: string;
}

export interface ImportReport {
  /** Data lines read (header excluded). */
  lines: number;
  added: number;
  updated: number;
  unchanged: number;
  /** The first MAX_LISTED_REJECTIONS rejections; `rejectedCount` has them all. */
  rejected: Rejection[];
  rejectedCount: number;
  /** Addresses already known whose sector changed because they moved (the listeners are told). */
  reassigned: number;
  /** Addresses of the commune that no sector covers, after the import. */
  unassigned: number;
  /** Streets of the commune after the import. */
  streets: number;
}

export interface ImportOptions {
  /** INSEE code of the commune: lines for any other commune are rejected. */
  inseeCode: string;
  /** Abort everything if any line is rejected. */
  strict?: boolean;
  batchSize?: number;
  hooks: GeoHooks;
}

export const MAX_LISTED_REJECTIONS = 1000;
const DEFAULT_BATCH = 2000;

interface AddressRow {
  ban_id: string;
  id_fantoir: string | null;
  numero: number;
  rep: string | null;
  nom_voie: string;
  code_postal: string;
  code_insee: string;
  nom_commune: string;
  lon: number;
  lat: number;
  street_key: string;
  sector_id: string | null;
}

interface StreetRow {
  street_key: string;
  nom_voie: string;
  code_postal: string;
  nom_commune: string;
  search: string;
}

export type ColumnIndex = Record<Column, number>;

export function readHeader(record: string[]): ColumnIndex {
  const names = record.map((c) => c.trim().toLowerCase());
  const missing = BAN_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const found = names.slice(0, 30).map((n) => n.slice(0, 40));
    const hint =
      names.length === 1 && names[0]!.includes(',') ? ' Le séparateur doit être « ; », pas « , ».' : '';
    throw fail(
      'GEO_IMPORT_BAD_HEADER',
      `L’en-tête ne correspond pas au format BAN : il manque ${missing.join(', ')}.${hint} Rien n'a été importé.`,
      { missing, found },
    );
  }
  return Object.fromEntries(BAN_REQUIRED_COLUMNS.map((c) => [c, names.indexOf(c)])) as ColumnIndex;
}

type LineResult = { row: AddressRow } | { reason: RejectionReason; detail: string };

const BAN_ID = /^[A-Za-z0-9_-]{1,80}$/;

function parseCoordinate(raw: string, min: number, max: number): number | undefined {
  if (!/^-?\d+(\.\d+)?$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** Street names repeat on every line of a street: normalize each once per import. */
export type StreetCache = Map<string, StreetRow>;

function streetOf(cache: StreetCache, nomVoie: string, codePostal: string, nomCommune: string): StreetRow {
  const k = `${nomVoie}\u0000${codePostal}\u0000${nomCommune}`;
  let s = cache.get(k);
  if (!s) {
    s = {
      street_key: streetKey(nomVoie, codePostal),
      nom_voie: nomVoie,
      code_postal: codePostal,
      nom_commune: nomCommune,
      search: streetSearchText(nomVoie, codePostal, nomCommune),
    };
    cache.set(k, s);
  }
  return s;
}

/** Validates one data line; never throws. */
export function readLine(
  record: string[],
  columns: ColumnIndex,
  width: number,
  inseeCode: string,
  streets: StreetCache = new Map(),
): LineResult {
  if (record.length !== width)
    return { reason: 'column_count', detail: `${record.length} colonnes au lieu de ${width}.` };
  const get = (c: Column) => (record[columns[c]] ?? '').trim();
  const codeInsee = get('code_insee');
  if (codeInsee !== inseeCode)
    return {
      reason: 'other_commune',
      detail: `Adresse de la commune ${codeInsee.slice(0, 10) || '(vide)'}, pas de ${inseeCode}.`,
    };
  const id = get('id');
  if (id === '') return { reason: 'missing_id', detail: 'Identifiant BAN (colonne id) manquant.' };
  if (!BAN_ID.test(id)) return { reason: 'bad_id', detail: 'Identifiant BAN invalide.' };
  const numeroRaw = get('numero');
  if (!/^\d{1,5}$/.test(numeroRaw)) return { reason: 'bad_number', detail: 'Numéro manquant ou invalide.' };
  const nomVoie = get('nom_voie');
  if (nomVoie === '' || nomVoie.length > 200)
    return { reason: 'missing_street', detail: 'Nom de voie manquant ou trop long.' };
  const codePostal = get('code_postal');
  if (!/^\d{5}$/.test(codePostal))
    return { reason: 'bad_postcode', detail: 'Code postal manquant ou invalide.' };
  const nomCommune = get('nom_commune');
  if (nomCommune === '' || nomCommune.length > 100)
    return { reason: 'missing_commune', detail: 'Nom de commune manquant.' };
  const lon = parseCoordinate(get('lon'), -180, 180);
  const lat = parseCoordinate(get('lat'), -90, 90);
  if (lon === undefined || lat === undefined)
    return { reason: 'bad_coordinates', detail: 'Longitude ou latitude manquante ou invalide.' };
  const rep = get('rep').slice(0, 16);
  return {
    row: {
      ban_id: id,
      id_fantoir: get('id_fantoir').slice(0, 20) || null,
      numero: Number(numeroRaw),
      rep: rep === '' ? null : rep,
      nom_voie: nomVoie,
      code_postal: codePostal,
      code_insee: codeInsee,
      nom_commune: nomCommune,
      lon,
      lat,
      street_key: streetOf(streets, nomVoie, codePostal, nomCommune).street_key,
      sector_id: null,
    },
  };
}

/** Decodes strictly: a Latin-1 file would otherwise import "Ã‰mile" everywhere. */
async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of chunks)
      yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (err) {
    if (err instanceof TypeError) throw fail('GEO_IMPORT_BAD_ENCODING');
    throw err;
  }
}

/**
 * Upserts a batch; returns how many rows were added and updated, and the
 * addresses already known that changed sector (their old sector is read in the
 * same statement, from the snapshot before the write).
 */
async function upsertBatch(
  trx: Knex.Transaction,
  tenantId: string,
  rows: AddressRow[],
): Promise<{ added: number; updated: number; moved: AddressSectorChange[] }> {
  const res = await trx.raw<{
    rows: Array<{ id: string; inserted: boolean; old_sector: string | null; new_sector: string | null }>;
  }>(
    `with input as (
       select * from json_to_recordset(?::json) as r(ban_id text, id_fantoir text, numero int, rep text, nom_voie text, code_postal text,
         code_insee text, nom_commune text, lon float8, lat float8, street_key text, sector_id uuid)
     ),
     before as (select a.ban_id, a.sector_id from addresses a join input i on i.ban_id = a.ban_id),
     written as (
       insert into addresses (tenant_id, ban_id, id_fantoir, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat, street_key, sector_id)
       select ?, i.ban_id, i.id_fantoir, i.numero, i.rep, i.nom_voie, i.code_postal, i.code_insee, i.nom_commune, i.lon, i.lat, i.street_key, i.sector_id from input i
       on conflict (tenant_id, ban_id) do update set
         id_fantoir = excluded.id_fantoir, numero = excluded.numero, rep = excluded.rep, nom_voie = excluded.nom_voie,
         code_postal = excluded.code_postal, code_insee = excluded.code_insee, nom_commune = excluded.nom_commune,
         lon = excluded.lon, lat = excluded.lat, street_key = excluded.street_key, sector_id = excluded.sector_id, updated_at = now()
       where (addresses.id_fantoir, addresses.numero, addresses.rep, addresses.nom_voie, addresses.code_postal, addresses.code_insee, addresses.nom_commune, addresses.lon, addresses.lat)
         is distinct from (excluded.id_fantoir, excluded.numero, excluded.rep, excluded.nom_voie, excluded.code_postal, excluded.code_insee, excluded.nom_commune, excluded.lon, excluded.lat)
       returning id, ban_id, (xmax = 0) as inserted, sector_id
     )
     select w.id, w.inserted, b.sector_id as old_sector, w.sector_id as new_sector from written w left join before b on b.ban_id = w.ban_id`,
    [JSON.stringify(rows), tenantId],
  );
  const added = res.rows.filter((r) => r.inserted).length;
  const moved = res.rows
    .filter((r) => !r.inserted && r.old_sector !== r.new_sector)
    .map((r) => ({ addressId: r.id, from: r.old_sector, to: r.new_sector }));
  return { added, updated: res.rows.length - added, moved };
}

/** Rebuilds the street index of the registration form from the addresses now stored. */
async function refreshStreets(
  trx: Knex.Transaction,
  tenantId: string,
  streets: Map<string, StreetRow>,
): Promise<number> {
  if (streets.size > 0) {
    await trx.raw(
      `insert into address_streets (tenant_id, street_key, nom_voie, code_postal, nom_commune, search, address_count)
       select ?, r.street_key, r.nom_voie, r.code_postal, r.nom_commune, r.search, 0
       from json_to_recordset(?::json) as r(street_key text, nom_voie text, code_postal text, nom_commune text, search text)
       on conflict (tenant_id, street_key) do update set
         nom_voie = excluded.nom_voie, nom_commune = excluded.nom_commune, search = excluded.search, updated_at = now()
       where (address_streets.nom_voie, address_streets.nom_commune, address_streets.search) is distinct from (excluded.nom_voie, excluded.nom_commune, excluded.search)`,
      [tenantId, JSON.stringify([...streets.values()])],
    );
  }
  await trx.raw(
    `update address_streets s set address_count = c.n, updated_at = now()
     from (select street_key, count(*)::int as n from addresses group by street_key) c
     where c.street_key = s.street_key and s.address_count <> c.n`,
  );
  await trx.raw(
    `delete from address_streets s where not exists (select 1 from addresses a where a.street_key = s.street_key)`,
  );
  const res = await trx.raw<{ rows: Array<{ n: number }> }>('select count(*)::int as n from address_streets');
  return res.rows[0]!.n;
}

/** Imports a BAN CSV stream into the tenant's transaction `trx` (see the top of this file for the rules). */
export async function importAddressesInTransaction(
  trx: Knex.Transaction,
  tenantId: string,
  input: Readable | AsyncIterable<Buffer | string>,
  opts: ImportOptions,
): Promise<ImportReport> {
  await lockTenantGeography(trx, tenantId);
  const report: ImportReport = {
    lines: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    rejectedCount: 0,
    reassigned: 0,
    unassigned: 0,
    streets: 0,
  };
  // Each address gets its sector as it is written: no second pass over the table.
  const sectors: SectorIndex = await loadSectorIndex(trx);
  const moved: AddressSectorChange[] = [];
  const streetCache: StreetCache = new Map();
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const seen = new Set<string>();
  let columns: ColumnIndex | undefined;
  let width = 0;
  let batch: AddressRow[] = [];

  const reject = (line: number, reason: RejectionReason, detail: string) => {
    report.rejectedCount++;
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push({ line, reason, detail });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const { added, updated, moved: m } = await upsertBatch(trx, tenantId, batch);
    moved.push(...m);
    report.added += added;
    report.updated += updated;
    report.unchanged += batch.length - added - updated;
    batch = [];
  };

  const parser = parse({
    delimiter: ';',
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    // A "line" longer than this is not an address: a binary file or a wrong line ending.
    max_record_size: 65_536,
  });
  try {
    await pipeline(
      input,
      utf8,
      parser,
      async (records: AsyncIterable<{ record: string[]; info: { lines: number } }>) => {
        for await (const { record, info } of records) {
          if (!columns) {
            columns = readHeader(record);
            width = record.length;
            continue;
          }
          report.lines++;
          const result = readLine(record, columns, width, opts.inseeCode, streetCache);
          if ('reason' in result) {
            reject(info.lines, result.reason, result.detail);
            continue;
          }
          const { row } = result;
          if (seen.has(row.ban_id)) {
            reject(
              info.lines,
              'duplicate_id',
              `L’identifiant ${row.ban_id} apparaît plusieurs fois dans le fichier.`,
            );
            continue;
          }
          seen.add(row.ban_id);
          row.sector_id = sectorAt(sectors, row.lon, row.lat);
          batch.push(row);
          if (batch.length >= batchSize) await flush();
        }
        await flush();
      },
    );
  } catch (err) {
    if (isVigieError(err)) throw err;
    if (err instanceof CsvError) {
      throw fail('GEO_IMPORT_MALFORMED_CSV', undefined, {
        line: (err as CsvError & { lines?: number }).lines ?? null,
        csvCode: err.code,
      });
    }
    throw err;
  }
  if (!columns)
    throw fail(
      'GEO_IMPORT_BAD_HEADER',
      "Le fichier est vide : il manque l'en-tête BAN. Rien n'a été importé.",
      { missing: [...BAN_REQUIRED_COLUMNS], found: [] },
    );
  if (opts.strict && report.rejectedCount > 0) {
    throw fail('GEO_IMPORT_LINES_REJECTED', undefined, {
      rejectedCount: report.rejectedCount,
      rejected: report.rejected.slice(0, 20),
    });
  }
  const streets = new Map([...streetCache.values()].map((st) => [st.street_key, st]));
  report.streets = await refreshStreets(trx, tenantId, streets);
  report.reassigned = moved.length;
  await emitAddressesReassigned(trx, moved, opts.hooks);
  const unassigned = await trx.raw<{ rows: Array<{ n: number }> }>(
    'select count(*)::int as n from addresses where sector_id is null',
  );
  report.unassigned = unassigned.rows[0]!.n;
  return report;
}

/** Imports a BAN CSV stream for a tenant, all in one transaction. */
export function importAddresses(
  db: Knex,
  tenantId: string,
  input: Readable | AsyncIterable<Buffer | string>,
  opts: ImportOptions,
): Promise<ImportReport> {
  return withTenant(db, tenantId, (trx) => importAddressesInTransaction(trx, tenantId, input, opts));
}

/** Imports a BAN CSV file for a tenant whose INSEE code is read from the tenants table. */
export async function importAddressFile(
  db: Knex,
  tenantId: string,
  path: string,
  opts: Omit<ImportOptions, 'inseeCode'>,
): Promise<ImportReport> {
  const tenant = await db('tenants')
    .where({ id: tenantId })
    .first<{ insee_code: string } | undefined>('insee_code');
  if (!tenant) throw fail('GEO_TENANT_UNKNOWN');
  return importAddresses(db, tenantId, createReadStream(path), { ...opts, inseeCode: tenant.insee_code });
}
