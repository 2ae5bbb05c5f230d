// The IGN Géoplateforme adapter against recorded responses (fixtures/), with
// an injected fetch: no network in tests.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { isVigieError } from '../lib/errors.js';
import { ignGeocoder, withFallback, type FetchFn, type Geocoder, type GeocodeResult } from './geocoder.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** A fetch that answers from a fixture and remembers the URLs it was asked. */
function recordedFetch(status: number, body: unknown): { fetch: FetchFn; urls: URL[] } {
  const urls: URL[] = [];
  return {
    urls,
    fetch: async (url) => {
      urls.push(new URL(url));
      return { ok: status >= 200 && status < 300, status, json: async () => body };
    },
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (isVigieError(err)) return err.code;
    throw err;
  }
}

const BASE = 'https://data.geopf.fr/geocodage';

describe('IGN Géoplateforme geocoder', () => {
  it('asks the address index of the commune and maps the features', async () => {
    const { fetch, urls } = recordedFetch(200, fixture('ign-search-serris.json'));
    const results = await ignGeocoder({ baseUrl: `${BASE}/`, citycode: '77449', fetch }).geocode(
      '12 rue emile cloud',
      { limit: 3 },
    );
    expect(urls).toHaveLength(1);
    expect(urls[0]!.origin + urls[0]!.pathname).toBe(`${BASE}/search`);
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      q: '12 rue emile cloud',
      index: 'address',
      limit: '3',
      citycode: '77449',
    });
    expect(results).toHaveLength(3);
    expect(results[0]).toEqual<GeocodeResult>({
      label: '12 Rue Émile Cloud 77700 Serris',
      score: 0.9734545454545454,
      lon: 2.791682,
      lat: 48.856229,
      housenumber: '12',
      street: 'Rue Émile Cloud',
      postcode: '77700',
      citycode: '77449',
      city: 'Serris',
      banId: '77449_0100_00012',
      addressId: null,
      source: 'ign',
    });
    // A street-level answer has no house number; its name is the street.
    expect(results[2]).toMatchObject({ housenumber: null, street: 'Rue Émile Cloud', banId: '77449_0100' });
  });

  it('reverse-geocodes a point to the nearest address', async () => {
    const { fetch, urls } = recordedFetch(200, fixture('ign-reverse-serris.json'));
    const r = await ignGeocoder({ baseUrl: BASE, fetch }).reverse!(2.79147, 48.85637);
    expect(urls[0]!.pathname).toBe('/geocodage/reverse');
    expect(Object.fromEntries(urls[0]!.searchParams)).toMatchObject({
      lon: '2.79147',
      lat: '48.85637',
      index: 'address',
    });
    expect(r).toMatchObject({ label: '1 Rue Émile Cloud 77700 Serris', housenumber: '1', source: 'ign' });
  });

  it('answers nothing for an empty result, and does not call the service for queries under 3 characters', async () => {
    const empty = recordedFetch(200, fixture('ign-search-empty.json'));
    expect(await ignGeocoder({ baseUrl: BASE, fetch: empty.fetch }).geocode('zzqx wvut')).toEqual([]);
    const never = recordedFetch(200, fixture('ign-search-serris.json'));
    expect(await ignGeocoder({ baseUrl: BASE, fetch: never.fetch }).geocode(' 1 ')).toEqual([]);
    expect(never.urls).toHaveLength(0);
  });

  it('turns refusals, outages, timeouts and unexpected answers into GEOCODER_UNAVAILABLE', async () => {
    const refused = recordedFetch(400, fixture('ign-error-400.json'));
    expect(
      await codeOf(ignGeocoder({ baseUrl: BASE, fetch: refused.fetch }).geocode('12 rue emile cloud')),
    ).toBe('GEOCODER_UNAVAILABLE');
    const down = recordedFetch(503, { message: 'Service Unavailable' });
    expect(
      await codeOf(ignGeocoder({ baseUrl: BASE, fetch: down.fetch }).geocode('12 rue emile cloud')),
    ).toBe('GEOCODER_UNAVAILABLE');
    const html = recordedFetch(200, '<html>proxy error</html>');
    expect(
      await codeOf(ignGeocoder({ baseUrl: BASE, fetch: html.fetch }).geocode('12 rue emile cloud')),
    ).toBe('GEOCODER_UNAVAILABLE');
    const unreachable: FetchFn = async () => {
      throw new TypeError('fetch failed');
    };
    expect(
      await codeOf(ignGeocoder({ baseUrl: BASE, fetch: unreachable }).geocode('12 rue emile cloud')),
    ).toBe('GEOCODER_UNAVAILABLE');
    const hanging: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('The operation was aborted', 'TimeoutError')),
        ),
      );
    expect(
      await codeOf(
        ignGeocoder({ baseUrl: BASE, fetch: hanging, timeoutMs: 20 }).geocode('12 rue emile cloud'),
      ),
    ).toBe('GEOCODER_UNAVAILABLE');
  });
});

describe('geocoder fallback', () => {
  const fixed = (results: GeocodeResult[], calls: string[], name: string): Geocoder => ({
    async geocode(q) {
      calls.push(`${name}:${q}`);
      return results;
    },
  });
  const hit = {
    label: 'x',
    score: 1,
    lon: 0,
    lat: 0,
    housenumber: null,
    street: null,
    postcode: null,
    citycode: null,
    city: null,
    banId: null,
    addressId: null,
    source: 'local',
  } as GeocodeResult;

  it('asks the fallback only when the primary finds nothing', async () => {
    const calls: string[] = [];
    expect(
      await withFallback(fixed([hit], calls, 'local'), fixed([], calls, 'ign')).geocode('a b c'),
    ).toEqual([hit]);
    expect(calls).toEqual(['local:a b c']);
    const calls2: string[] = [];
    expect(
      await withFallback(
        fixed([], calls2, 'local'),
        fixed([{ ...hit, source: 'ign' }], calls2, 'ign'),
      ).geocode('a b c'),
    ).toMatchObject([{ source: 'ign' }]);
    expect(calls2).toEqual(['local:a b c', 'ign:a b c']);
  });

  it('is switched on by VIGIE_GEOCODER=ign, and a wrong value stops the start', () => {
    expect(loadConfig({}).geocoder).toBe('local');
    expect(
      loadConfig({ VIGIE_GEOCODER: 'ign', VIGIE_IGN_GEOCODER_URL: 'http://127.0.0.1:9999/geocodage/' }),
    ).toMatchObject({ geocoder: 'ign', ignGeocoderUrl: 'http://127.0.0.1:9999/geocodage' });
    expect(() => loadConfig({ VIGIE_GEOCODER: 'google' })).toThrow(ConfigError);
  });
});
