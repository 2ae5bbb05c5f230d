// Onboarding a commune from its INSEE code, for the operator console:
//   1. the official name, postal codes and population (lookupCommune);
//   2. the commune's BAN CSV, or its Base Adresse Locale (BAL 1.4), checked
//      whole, in memory (readAddresses): a file of another commune, or any
//      refused line, refuses the whole file with the line numbers, and nothing
//      is stored;
//   3. proposed sectors from those addresses (geo/propose.ts);
//   4. once the operator accepts them, the commune is created by the same apply
//      as `vigie tenants apply` (onboardCommune): a tenants/<slug>/ folder is
//      written to a temporary directory and applied, so the console, the CLI
//      and the export (export.ts) cannot disagree on what a commune is.
// Everything is checked again at step 4 (the client is not trusted with what
// step 2 said), and before the commune row exists, so a refusal writes nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fail } from './errors.js';
import { communeRegistry, type CommuneRegistry } from './communes.js';
import { assertValidTenantSpec } from './validate.js';
import { applyTenant, type ApplyDeps, type TenantPlan } from './apply.js';
import type { Actor } from './audit.js';
import {
  balToBanCsv,
  bboxContains,
  checkBal,
  checkBanCsv,
  decodeBan,
  looksLikeBal,
  locateInPart,
  proposeSectors,
  ringBBox,
  shapesOverlap,
  unionBBox,
  validateSectorGeometry,
  type BalIssue,
  type BanCheck,
  type BBox,
  type CheckedAddress,
  type ProposedSector,
} from '../geo/index.js';
import { foldText } from '../geo/index.js';

export interface CommuneInfo {
  inseeCode: string;
  name: string;
  postalCodes: string[];
  population: number | null;
  departement: string | null;
  /** A slug derived from the name, for the portal's host name. */
  slug: string;
}

/** Plugins a new commune starts with, when installed. */
export const ONBOARDING_PLUGINS = ['voisins-vigilants', 'mairie-vigilante', 'tranquillite-vacances'];

export function slugFor(name: string): string {
  return foldText(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export function lookupCommune(inseeCode: string, communes: CommuneRegistry = communeRegistry()): CommuneInfo {
  const code = inseeCode.trim().toUpperCase();
  const c = communes.current(code);
  if (!c) {
    const other = communes.any(code);
    const successor =
      communes.mergedInto(code) ?? (other?.chefLieu ? communes.current(other.chefLieu) : undefined);
    if (other || successor)
      throw fail(
        'ONBOARDING_INSEE_RETIRED',
        successor
          ? `Le code INSEE ${code}${other ? ` (${other.nom})` : ''} n'est plus celui d'une commune actuelle : il fait partie de ${successor.nom} (${successor.code}).`
          : undefined,
        {
          inseeCode: code,
          ...(other ? { type: other.type, name: other.nom } : { type: 'merged' }),
          ...(successor ? { successor: { inseeCode: successor.code, name: successor.nom } } : {}),
        },
      );
    throw fail('ONBOARDING_INSEE_UNKNOWN', undefined, { inseeCode: code });
  }
  return {
    inseeCode: c.code,
    name: c.nom,
    postalCodes: c.codesPostaux ?? [],
    population: c.population ?? null,
    departement: c.departement ?? null,
    slug: slugFor(c.nom),
  };
}

export const MAX_LISTED = 200;

/** The whole file, checked: every line must be an address of this commune. */
export function checkAddresses(csv: string, inseeCode: string): BanCheck {
  const check = checkBanCsv(csv, inseeCode);
  if (check.lines === 0) throw fail('ONBOARDING_NO_ADDRESSES');
  const others = Object.values(check.otherCommunes).reduce((n, k) => n + k, 0);
  if (others * 2 >= check.lines) {
    throw fail(
      'ONBOARDING_OTHER_COMMUNE',
      `Ce fichier est celui d'une autre commune (${Object.keys(check.otherCommunes).slice(0, 5).join(', ')}), pas de ${inseeCode}. Rien n'a été importé.`,
      { expected: inseeCode, found: check.otherCommunes },
    );
  }
  if (check.rejectedCount > 0) {
    const lines = check.rejected.slice(0, 10).map((r) => r.line);
    throw fail(
      'ONBOARDING_ADDRESSES_REFUSED',
      `${check.rejectedCount} ligne${check.rejectedCount > 1 ? 's' : ''} refusée${check.rejectedCount > 1 ? 's' : ''} (ligne${lines.length > 1 ? 's' : ''} ${lines.join(', ')}${check.rejectedCount > lines.length ? ', …' : ''}). Rien n'a été importé.`,
      { rejectedCount: check.rejectedCount, rejected: check.rejected.slice(0, MAX_LISTED) },
    );
  }
  return check;
}

export interface ReadAddresses {
  format: 'ban' | 'bal';
  lines: number;
  addresses: CheckedAddress[];
  streets: number;
  /** The validator's warnings for a BAL (its errors refuse the file). */
  issues: BalIssue[];
  /** The addresses as a BAN CSV: what is imported and exported. */
  banCsv: string;
}

/**
 * The commune's address file, in either format: the BAN CSV, or the commune's
 * own Base Adresse Locale (BAL 1.4, told apart by its `cle_interop` column),
 * checked by the BAN team's validator and converted to the BAN columns.
 */
export async function readAddresses(bytes: Buffer, info: CommuneInfo): Promise<ReadAddresses> {
  const text = decodeBan(bytes);
  if (!looksLikeBal(text)) {
    const check = checkAddresses(text, info.inseeCode);
    return { format: 'ban', ...check, issues: [], banCsv: text };
  }
  const postal = info.postalCodes[0] ?? '00000';
  const bal = await checkBal(bytes, info.inseeCode, postal);
  if (bal.lines === 0) throw fail('ONBOARDING_NO_ADDRESSES');
  const others = Object.values(bal.otherCommunes).reduce((n, k) => n + k, 0);
  if (others * 2 >= bal.lines)
    throw fail(
      'ONBOARDING_OTHER_COMMUNE',
      `Ce fichier est celui d'une autre commune (${Object.keys(bal.otherCommunes).slice(0, 5).join(', ')}), pas de ${info.inseeCode}. Rien n'a été importé.`,
      { expected: info.inseeCode, found: bal.otherCommunes },
    );
  if (bal.addresses.length === 0) throw fail('ONBOARDING_NO_ADDRESSES');
  return {
    format: 'bal',
    lines: bal.lines,
    addresses: bal.addresses,
    streets: new Set(bal.addresses.map((a) => a.streetKey)).size,
    issues: bal.issues,
    banCsv: balToBanCsv(bal.addresses, info.inseeCode, info.name),
  };
}

export interface AddressesProposal {
  format: 'ban' | 'bal';
  lines: number;
  addresses: number;
  streets: number;
  /** A BAL's warnings, line by line. */
  issues: BalIssue[];
  sectors: ProposedSector[];
  /** The addresses as points, for the map: [lon, lat] each. */
  points: Array<[number, number]>;
}

export async function proposeFromFile(
  bytes: Buffer,
  inseeCode: string,
  count?: number,
): Promise<AddressesProposal> {
  const read = await readAddresses(bytes, lookupCommune(inseeCode));
  return {
    format: read.format,
    lines: read.lines,
    addresses: read.addresses.length,
    streets: read.streets,
    issues: read.issues,
    sectors: proposeSectors(read.addresses, count ? { count } : {}),
    points: read.addresses.map((a) => [a.lon, a.lat]),
  };
}

export interface AcceptedSector {
  key: string;
  name: string;
  geometry: unknown;
}

/** The extent sectors must stay in, computed as sectors.ts communeExtent does from the stored addresses. */
function extentOf(addresses: CheckedAddress[]): BBox {
  const box = unionBBox(addresses.map((a) => ({ minX: a.lon, minY: a.lat, maxX: a.lon, maxY: a.lat })));
  const mx = Math.max(0.01, (box.maxX - box.minX) * 0.2);
  const my = Math.max(0.01, (box.maxY - box.minY) * 0.2);
  return { minX: box.minX - mx, minY: box.minY - my, maxX: box.maxX + mx, maxY: box.maxY + my };
}

/** Sectors as the operator accepted them: valid shapes, distinct names, no overlap, every address covered, inside the commune. */
export function checkSectors(sectors: AcceptedSector[], addresses: CheckedAddress[]): void {
  if (sectors.length === 0)
    throw fail('ONBOARDING_SECTORS_INVALID', 'Il faut au moins un secteur.', { reason: 'none' });
  const shapes = sectors.map((s) => ({ s, shape: validateSectorGeometry(s.geometry) }));
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const { s } of shapes) {
    const n = s.name.trim().toLowerCase();
    if (!n || names.has(n) || keys.has(s.key))
      throw fail('ONBOARDING_SECTORS_INVALID', `Deux secteurs portent le nom « ${s.name} ».`, {
        reason: 'duplicate_name',
        sector: s.name,
      });
    names.add(n);
    keys.add(s.key);
  }
  const extent = extentOf(addresses);
  for (const { s, shape } of shapes) {
    if (!bboxContains(extent, shape.bbox))
      throw fail('ONBOARDING_SECTORS_INVALID', `Le secteur « ${s.name} » sort de la commune.`, {
        reason: 'outside',
        sector: s.name,
      });
  }
  for (let i = 0; i < shapes.length; i++)
    for (let j = 0; j < i; j++)
      if (shapesOverlap(shapes[i]!.shape.parts, shapes[j]!.shape.parts))
        throw fail(
          'ONBOARDING_SECTORS_INVALID',
          `Les secteurs « ${shapes[i]!.s.name} » et « ${shapes[j]!.s.name} » se chevauchent.`,
          { reason: 'overlap', sectors: [shapes[i]!.s.name, shapes[j]!.s.name] },
        );
  const boxes = shapes.map(({ shape }) => shape.parts.map((p) => ({ p, b: ringBBox(p.outer) })));
  const uncovered = addresses.filter(
    (a) =>
      !boxes.some((parts) =>
        parts.some(
          ({ p, b }) =>
            a.lon >= b.minX &&
            a.lon <= b.maxX &&
            a.lat >= b.minY &&
            a.lat <= b.maxY &&
            locateInPart([a.lon, a.lat], p) !== 'outside',
        ),
      ),
  );
  if (uncovered.length)
    throw fail(
      'ONBOARDING_SECTORS_INVALID',
      `${uncovered.length} adresse${uncovered.length > 1 ? 's' : ''} hors de tout secteur.`,
      { reason: 'uncovered', count: uncovered.length, banIds: uncovered.slice(0, 20).map((a) => a.banId) },
    );
}

export interface OnboardInput {
  inseeCode: string;
  slug?: string | undefined;
  displayName?: string | undefined;
  police: { phone: string; email: string; street: string; hours?: string | undefined };
  addressesCsv: string;
  sectors: AcceptedSector[];
}

export interface OnboardResult {
  slug: string;
  tenantId: string;
  name: string;
  addresses: number;
  sectors: number;
  plan: TenantPlan;
}

export async function onboardCommune(
  deps: ApplyDeps,
  input: OnboardInput,
  opts: { actor: Actor; requestId?: string },
): Promise<OnboardResult> {
  const info = lookupCommune(input.inseeCode);
  const check = await readAddresses(Buffer.from(input.addressesCsv), info);
  checkSectors(input.sectors, check.addresses);
  const postal = check.addresses[0]?.codePostal;
  const definition = assertValidTenantSpec(
    {
      slug: input.slug || info.slug,
      name: info.name,
      inseeCode: info.inseeCode,
      postalCodes: info.postalCodes.length ? info.postalCodes : [postal],
      status: 'trial',
      branding: {
        displayName: input.displayName?.trim() || info.name,
        primaryColor: '#1d4f91',
        secondaryColor: '#4f762f',
      },
      police: {
        phone: input.police.phone,
        email: input.police.email,
        address: {
          street: input.police.street,
          postalCode: info.postalCodes[0] ?? postal,
          city: info.name,
        },
        ...(input.police.hours ? { hours: input.police.hours } : {}),
      },
      plugins: Object.fromEntries(
        ONBOARDING_PLUGINS.filter((id) => deps.plugins.some((p) => p.id === id)).map((id) => [
          id,
          { enabled: true },
        ]),
      ),
    },
    { plugins: deps.plugins, communes: communeRegistry() },
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigie-onboarding-'));
  try {
    const addressesCsv = path.join(dir, 'addresses.csv');
    const sectorsGeojson = path.join(dir, 'sectors.geojson');
    await writeFile(addressesCsv, check.banCsv);
    await writeFile(
      sectorsGeojson,
      JSON.stringify({
        type: 'FeatureCollection',
        features: input.sectors.map((s) => ({
          type: 'Feature',
          id: s.key,
          properties: { name: s.name.trim(), kind: 'quartier' },
          geometry: s.geometry,
        })),
      }),
    );
    const plan = await applyTenant(
      deps,
      { definition, addressesCsv, sectorsGeojson },
      { actor: opts.actor, mustCreate: true, ...(opts.requestId ? { requestId: opts.requestId } : {}) },
    );
    return {
      slug: definition.slug,
      tenantId: plan.tenantId!,
      name: definition.name,
      addresses: check.addresses.length,
      sectors: input.sectors.length,
      plan,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
