// The Geocoder port: from typed text to coordinates (and back). The default
// adapter answers from the commune's imported BAN extract. The IGN Géoplateforme
// adapter (https://data.geopf.fr/geocodage, the national BAN geocoder) is the
// fallback for what the extract does not know, switched on with VIGIE_GEOCODER=ign.
import type { Knex } from 'knex';
import { fail } from './errors.js';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import { withTenant } from '../db/index.js';
import './errors.js';
import { searchAddresses } from './search.js';

export interface GeocodeResult {
  label: string;
  /** 0..1 */
  score: number;
  lon: number;
  lat: number;
  housenumber: string | null;
  street: string | null;
  postcode: string | null;
  citycode: string | null;
  city: string | null;
  /** BAN id (clé d'interopérabilité), e.g. 77449_0120_00012. */
  banId: string | null;
  /** Our address row, when the result comes from the imported extract. */
  addressId: string | null;
  source: 'local' | 'ign';
}

export interface GeocodeOptions {
  limit?: number;
}

export interface Geocoder {
  geocode(query: string, opts?: GeocodeOptions): Promise<GeocodeResult[]>;
  reverse?(lon: number, lat: number): Promise<GeocodeResult | null>;
}

/** Reverse geocoding answers only within this distance (degrees, about 150 m): farther is another place. */
const REVERSE_MAX_DEGREES = 0.002;

/** The default adapter: the commune's imported addresses, inside its tenant transaction. */
export function localGeocoder(db: Knex, tenantId: string): Geocoder {
  return {
    async geocode(query, opts) {
      const hits = await withTenant(db, tenantId, (trx) => searchAddresses(trx, query, opts?.limit ?? 5));
      return hits.map((h) => ({
        label: h.label,
        score: h.score,
        lon: h.lon,
        lat: h.lat,
        housenumber: h.rep ? `${h.numero} ${h.rep}` : String(h.numero),
        street: h.street,
        postcode: h.postcode,
        citycode: null,
        city: h.city,
        banId: h.banId,
        addressId: h.id,
        source: 'local' as const,
      }));
    },
    async reverse(lon, lat) {
      // A GiST KNN scan: ordering by distance works under row-level security, where a bounding-box predicate could not use the index.
      const row = await withTenant(db, tenantId, async (trx) => {
        const res = await trx.raw<{
          rows: Array<{
            id: string;
            ban_id: string;
            numero: number;
            rep: string | null;
            nom_voie: string;
            code_postal: string;
            code_insee: string;
            nom_commune: string;
            lon: number;
            lat: number;
            d: number;
          }>;
        }>(
          `select id, ban_id, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat, point(lon, lat) <-> point(?, ?) as d
           from addresses order by point(lon, lat) <-> point(?, ?) limit 1`,
          [lon, lat, lon, lat],
        );
        return res.rows[0];
      });
      if (!row || row.d > REVERSE_MAX_DEGREES) return null;
      const number = row.rep ? `${row.numero} ${row.rep}` : String(row.numero);
      return {
        label: `${number} ${row.nom_voie} ${row.code_postal} ${row.nom_commune}`,
        score: Math.max(0, 1 - row.d / REVERSE_MAX_DEGREES),
        lon: row.lon,
        lat: row.lat,
        housenumber: number,
        street: row.nom_voie,
        postcode: row.code_postal,
        citycode: row.code_insee,
        city: row.nom_commune,
        banId: row.ban_id,
        addressId: row.id,
        source: 'local',
      };
    },
  };
}

// What the Géoplateforme answers (the BAN geocoder's format): a GeoJSON
// FeatureCollection whose features carry label, score, housenumber, street,
// postcode, citycode, city, id… Only what we read is declared.
const IgnFeature = Type.Object({
  geometry: Type.Object({
    type: Type.Literal('Point'),
    coordinates: Type.Array(Type.Number(), { minItems: 2 }),
  }),
  properties: Type.Object({
    label: Type.String(),
    score: Type.Optional(Type.Number()),
    housenumber: Type.Optional(Type.String()),
    street: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    postcode: Type.Optional(Type.String()),
    citycode: Type.Optional(Type.String()),
    city: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
    type: Type.Optional(Type.String()),
  }),
});
const IgnResponse = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(IgnFeature),
});
type IgnFeature = Static<typeof IgnFeature>;

export type FetchFn = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface IgnGeocoderOptions {
  /** Base URL of the service, e.g. https://data.geopf.fr/geocodage */
  baseUrl: string;
  /** Restricts answers to the commune (its INSEE code). */
  citycode?: string;
  fetch?: FetchFn;
  timeoutMs?: number;
}

function fromIgn(f: IgnFeature): GeocodeResult {
  const p = f.properties;
  return {
    label: p.label,
    score: p.score ?? 0,
    lon: f.geometry.coordinates[0]!,
    lat: f.geometry.coordinates[1]!,
    housenumber: p.housenumber ?? null,
    street: p.street ?? (p.type === 'street' ? (p.name ?? null) : null),
    postcode: p.postcode ?? null,
    citycode: p.citycode ?? null,
    city: p.city ?? null,
    banId: p.id ?? null,
    addressId: null,
    source: 'ign',
  };
}

/** The IGN Géoplateforme adapter. Network failures and unexpected answers become GEOCODER_UNAVAILABLE. */
export function ignGeocoder(opts: IgnGeocoderOptions): Geocoder {
  const doFetch: FetchFn = opts.fetch ?? (globalThis.fetch as unknown as FetchFn);
  const base = opts.baseUrl.replace(/\/$/, '');
  const call = async (path: string, params: Record<string, string>): Promise<IgnFeature[]> => {
    const url = `${base}/${path}?${new URLSearchParams(params).toString()}`;
    let body: unknown;
    try {
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw fail('GEOCODER_UNAVAILABLE', undefined, { status: res.status });
      body = await res.json();
    } catch (err) {
      if ((err as { code?: string }).code === 'GEOCODER_UNAVAILABLE') throw err;
      throw fail('GEOCODER_UNAVAILABLE', undefined, { reason: (err as Error).name });
    }
    if (!Value.Check(IgnResponse, body))
      throw fail('GEOCODER_UNAVAILABLE', undefined, { reason: 'unexpected response' });
    return body.features;
  };
  return {
    async geocode(query, o) {
      const q = query.trim().slice(0, 200);
      // The service refuses queries under 3 characters (HTTP 400); there is nothing to find anyway.
      if (q.length < 3) return [];
      const params: Record<string, string> = {
        q,
        index: 'address',
        limit: String(Math.min(o?.limit ?? 5, 20)),
      };
      if (opts.citycode) params.citycode = opts.citycode;
      return (await call('search', params)).map(fromIgn);
    },
    async reverse(lon, lat) {
      const features = await call('reverse', {
        lon: String(lon),
        lat: String(lat),
        index: 'address',
        limit: '1',
      });
      return features[0] ? fromIgn(features[0]) : null;
    },
  };
}

/** Asks `primary` first, and `fallback` only when primary finds nothing. */
export function withFallback(primary: Geocoder, fallback: Geocoder): Geocoder {
  return {
    async geocode(query, opts) {
      const first = await primary.geocode(query, opts);
      return first.length > 0 ? first : fallback.geocode(query, opts);
    },
    async reverse(lon, lat) {
      const first = primary.reverse ? await primary.reverse(lon, lat) : null;
      if (first) return first;
      return fallback.reverse ? fallback.reverse(lon, lat) : null;
    },
  };
}

export interface GeocoderConfig {
  geocoder: 'local' | 'ign';
  ignGeocoderUrl: string;
}

/** The geocoder of one commune, as configured: its BAN extract, then the IGN service when VIGIE_GEOCODER=ign. */
export function geocoderFor(
  config: GeocoderConfig,
  deps: { db: Knex; tenant: { id: string; inseeCode: string }; fetch?: FetchFn },
): Geocoder {
  const local = localGeocoder(deps.db, deps.tenant.id);
  if (config.geocoder !== 'ign') return local;
  return withFallback(
    local,
    ignGeocoder({
      baseUrl: config.ignGeocoderUrl,
      citycode: deps.tenant.inseeCode,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
}
