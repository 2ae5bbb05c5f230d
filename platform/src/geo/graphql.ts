// GraphQL of the geo module: address search for the registration form, the
// sector map, sector editing for the mairie (and for referents, their own
// community), and the list of addresses no sector covers.
import type { IResolvers, MercuriusContext } from 'mercurius';
import { fail } from './errors.js';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';

import { audit } from '../lib/audit.js';
import type { Limit } from '../identity/index.js';
import { searchAddresses } from './search.js';
import { geoServices, type GeoHooks } from './hooks.js';
import { geocoderFor } from './geocoder.js';
import {
  createSector,
  getSector,
  listSectors,
  redrawSector,
  renameSector,
  retireSector,
  sectorForPoint,
  unassignedAddresses,
  type Sector,
  type SectorSaveResult,
} from './sectors.js';

export const geoTypeDefs = /* GraphQL */ `
  type AddressSuggestion {
    id: ID!
    label: String!
    numero: Int!
    rep: String
    street: String!
    postcode: String!
    city: String!
    lon: Float!
    lat: Float!
    sectorId: ID
  }

  type GeocodeResult {
    label: String!
    score: Float!
    lon: Float!
    lat: Float!
    housenumber: String
    street: String
    postcode: String
    city: String
    "The address of the commune's BAN extract, when the answer comes from it."
    addressId: ID
    "local (the commune's extract) or ign (Géoplateforme fallback)"
    source: String!
  }

  type Sector {
    id: ID!
    name: String!
    "street, residence or quartier"
    kind: String!
    "active or retired"
    status: String!
    "GeoJSON Polygon or MultiPolygon (longitude, latitude)."
    geometry: String!
    "[minLon, minLat, maxLon, maxLat]"
    bbox: [Float!]!
    areaM2: Float!
    addressCount: Int
    retiredAt: String
  }

  type SectorRef {
    id: ID!
    name: String!
  }

  type AddressMove {
    addressId: ID!
    from: ID
    to: ID
  }

  type SectorSaveResult {
    sector: Sector!
    "Active sectors this one overlaps (saved because overlap was confirmed)."
    overlaps: [SectorRef!]!
    "Addresses that changed sector; their residents are told."
    moves: [AddressMove!]!
  }

  type UnassignedAddress {
    id: ID!
    label: String!
    lon: Float!
    lat: Float!
  }

  type UnassignedAddresses {
    total: Int!
    addresses: [UnassignedAddress!]!
  }

  input CreateSectorInput {
    name: String!
    "street, residence or quartier"
    kind: String = "quartier"
    "GeoJSON Polygon or MultiPolygon geometry, as JSON text."
    geometry: String! @length(max: 1000000)
    confirmOverlap: Boolean = false
  }

  extend type Query {
    "Addresses of the commune matching what is typed (registration form). Public, rate-limited."
    searchAddresses(query: String!, limit: Int = 10): [AddressSuggestion!]!
    "Free-text geocoding (alert locations): the commune's addresses, then the IGN service when configured."
    geocode(query: String!, limit: Int = 5): [GeocodeResult!]!
    sectors(includeRetired: Boolean = false): [Sector!]!
    sector(id: ID!): Sector
    "The active sector containing a point, if any."
    sectorAt(lon: Float!, lat: Float!): SectorRef
    "Addresses in no sector: the coverage holes to fix (mairie)."
    unassignedAddresses(limit: Int = 100, offset: Int = 0): UnassignedAddresses!
  }

  extend type Mutation {
    createSector(input: CreateSectorInput!): SectorSaveResult!
    "Mairie admins redraw any sector; referents redraw their own community."
    redrawSector(
      id: ID!
      geometry: String! @length(max: 1000000)
      confirmOverlap: Boolean = false
    ): SectorSaveResult!
    renameSector(id: ID!, name: String, kind: String): Sector!
    retireSector(id: ID!): SectorSaveResult!
  }
`;

/** The search runs on every keystroke of a public form: generous for people, tight for scrapers. */
export const SEARCH_LIMIT: Limit = { max: 120, windowMs: 60_000 };
const GEOCODE_LIMIT: Limit = { max: 60, windowMs: 60_000 };

function app(ctx: MercuriusContext): FastifyInstance {
  return ctx.app as unknown as FastifyInstance;
}

/** The listeners of this instance, told when a save moves addresses between sectors. */
function hooksOf(ctx: MercuriusContext): GeoHooks {
  return app(ctx).vigie.get(geoServices.hooks);
}

function parseGeometry(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail('SECTOR_INVALID_GEOMETRY', "Le tracé n'est pas du JSON valide.");
  }
}

function sectorOut(s: Sector & { addressCount?: number }) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    status: s.status,
    geometry: JSON.stringify(s.geometry),
    bbox: [s.bbox.minX, s.bbox.minY, s.bbox.maxX, s.bbox.maxY],
    areaM2: s.areaM2,
    addressCount: s.addressCount ?? null,
    retiredAt: s.retiredAt ? s.retiredAt.toISOString() : null,
  };
}

function saveOut(r: SectorSaveResult) {
  return {
    sector: sectorOut(r.sector),
    overlaps: r.overlaps,
    moves: r.changes.map((c) => ({ addressId: c.addressId, from: c.from, to: c.to })),
  };
}

/** Staff actions on the map are audited in the same transaction as the change. */
function record(
  trx: Knex.Transaction,
  ctx: MercuriusContext,
  action: string,
  sectorId: string,
  meta: Record<string, unknown>,
): Promise<void> {
  const p = ctx.requireAccount();
  return audit(trx, {
    tenantId: p.tenantId,
    actor: { type: 'account', id: p.accountId },
    action,
    target: { type: 'sector', id: sectorId },
    meta,
    requestId: ctx.requestId,
  });
}

export const geoResolvers: IResolvers = {
  Query: {
    searchAddresses: async (_r, args: { query: string; limit: number }, ctx) => {
      ctx.requireTenant();
      ctx.rateLimit('address-search', ctx.ip, SEARCH_LIMIT);
      const hits = await ctx.tx((trx) => searchAddresses(trx, args.query, args.limit));
      return hits.map((h) => ({ ...h }));
    },
    geocode: async (_r, args: { query: string; limit: number }, ctx) => {
      const tenant = ctx.requireTenant();
      const p = ctx.requireAccount();
      ctx.rateLimit('geocode', p.accountId, GEOCODE_LIMIT);
      const geocoder = geocoderFor(app(ctx).config, { db: app(ctx).db, tenant });
      return geocoder.geocode(args.query, { limit: Math.min(Math.max(1, args.limit), 20) });
    },
    sectors: async (_r, args: { includeRetired: boolean }, ctx) => {
      ctx.requireTenant();
      const rows = await ctx.tx((trx) => listSectors(trx, { includeRetired: args.includeRetired }));
      return rows.map(sectorOut);
    },
    sector: async (_r, args: { id: string }, ctx) => {
      ctx.requireTenant();
      try {
        return sectorOut(await ctx.tx((trx) => getSector(trx, args.id)));
      } catch (err) {
        if ((err as { code?: string }).code === 'SECTOR_NOT_FOUND') return null;
        throw err;
      }
    },
    sectorAt: async (_r, args: { lon: number; lat: number }, ctx) => {
      ctx.requireTenant();
      const s = await ctx.tx((trx) => sectorForPoint(trx, args.lon, args.lat));
      return s ? { id: s.id, name: s.name } : null;
    },
    unassignedAddresses: async (_r, args: { limit: number; offset: number }, ctx) => {
      ctx.authorize('geo.coverage.read');
      const { total, addresses } = await ctx.tx((trx) =>
        unassignedAddresses(trx, { limit: args.limit, offset: args.offset }),
      );
      return {
        total,
        addresses: addresses.map((a) => ({
          id: a.id,
          label: `${a.rep ? `${a.numero} ${a.rep}` : a.numero} ${a.street}`,
          lon: a.lon,
          lat: a.lat,
        })),
      };
    },
  },
  Mutation: {
    createSector: async (
      _r,
      { input }: { input: { name: string; kind: string; geometry: string; confirmOverlap: boolean } },
      ctx,
    ) => {
      ctx.authorize('geo.sector.manage');
      const tenant = ctx.requireTenant();
      const geometry = parseGeometry(input.geometry);
      const saved = await ctx.tx(async (trx) => {
        const r = await createSector(
          trx,
          tenant.id,
          { name: input.name, kind: input.kind, geometry },
          { confirmOverlap: input.confirmOverlap, hooks: hooksOf(ctx) },
        );
        await record(trx, ctx, 'geo.sector.created', r.sector.id, {
          name: r.sector.name,
          overlaps: r.overlaps.length,
          moved: r.changes.length,
        });
        return r;
      });
      return saveOut(saved);
    },
    redrawSector: async (_r, args: { id: string; geometry: string; confirmOverlap: boolean }, ctx) => {
      // A referent's grant is scoped to its community, which is this sector. Anyone
      // else needs the mairie's permission, whose check says why it is refused
      // (not logged in, two-factor authentication missing, or not allowed).
      if (!ctx.can('geo.sector.redraw_own', { communityId: args.id })) ctx.authorize('geo.sector.manage');
      const tenant = ctx.requireTenant();
      const geometry = parseGeometry(args.geometry);
      const saved = await ctx.tx(async (trx) => {
        const r = await redrawSector(trx, tenant.id, args.id, geometry, {
          confirmOverlap: args.confirmOverlap,
          hooks: hooksOf(ctx),
        });
        await record(trx, ctx, 'geo.sector.redrawn', args.id, {
          overlaps: r.overlaps.length,
          moved: r.changes.length,
        });
        return r;
      });
      return saveOut(saved);
    },
    renameSector: async (_r, args: { id: string; name?: string | null; kind?: string | null }, ctx) => {
      ctx.authorize('geo.sector.manage');
      const s = await ctx.tx(async (trx) => {
        const r = await renameSector(trx, args.id, {
          name: args.name ?? undefined,
          kind: args.kind ?? undefined,
        });
        await record(trx, ctx, 'geo.sector.renamed', args.id, { name: r.name, kind: r.kind });
        return r;
      });
      return sectorOut(s);
    },
    retireSector: async (_r, args: { id: string }, ctx) => {
      ctx.authorize('geo.sector.manage');
      const tenant = ctx.requireTenant();
      const saved = await ctx.tx(async (trx) => {
        const r = await retireSector(trx, tenant.id, args.id, { hooks: hooksOf(ctx) });
        await record(trx, ctx, 'geo.sector.retired', args.id, { moved: r.changes.length });
        return r;
      });
      return saveOut(saved);
    },
  },
};
