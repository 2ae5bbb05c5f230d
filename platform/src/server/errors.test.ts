import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { geoErrors } from '../geo/errors.js';
import { mergeActivities } from '../temporal/worker.js';
import { buildErrorCatalogue, defineErrors, pickLocale, toPublicError, VigieError } from '../lib/errors.js';

const pluginErrors = defineErrors({
  TEST_THING_GONE: { status: 410, fr: 'La chose est partie.', en: 'The thing is gone.' },
} as const);

describe('error catalogue', () => {
  it('gives each owner a fail() that only takes its declared codes and the core ones', () => {
    const err = pluginErrors.fail('TEST_THING_GONE', undefined, { thing: 1 });
    expect(err).toBeInstanceOf(VigieError);
    expect([err.code, err.statusCode, err.message]).toEqual(['TEST_THING_GONE', 410, 'La chose est partie.']);
    expect(pluginErrors.fail('NOT_FOUND').statusCode).toBe(404);
    // @ts-expect-error a mistyped code does not compile
    expect(() => pluginErrors.fail('TEST_THING_GON')).toThrow(/Undeclared error code/);
    // @ts-expect-error another owner's code does not compile either
    void (() => pluginErrors.fail('SECTOR_NOT_FOUND'));
    expect(() => defineErrors({ NOT_FOUND: { status: 404, fr: 'a', en: 'b' } })).toThrow(/core/);
    expect(() => defineErrors({ 'bad code': { status: 400, fr: 'a', en: 'b' } })).toThrow(/UPPER_SNAKE_CASE/);
  });

  it('answers in the caller language; a French-only sentence falls back to the code’s English one', () => {
    const plain = geoErrors.fail('SECTOR_NOT_FOUND');
    expect(toPublicError(plain, 'r1', 'en').body).toEqual({
      code: 'SECTOR_NOT_FOUND',
      message: 'This sector cannot be found.',
      requestId: 'r1',
    });
    const custom = geoErrors.fail('SECTOR_INVALID_HOLE', 'Deux trous du secteur se chevauchent.');
    expect(toPublicError(custom, undefined, 'fr').body.message).toBe('Deux trous du secteur se chevauchent.');
    expect(toPublicError(custom, undefined, 'en').body.message).toBe(geoErrors.specs.SECTOR_INVALID_HOLE.en);
    const both = geoErrors.fail('SECTOR_INVALID_HOLE', { fr: 'Deux trous.', en: 'Two holes.' });
    expect(toPublicError(both, undefined, 'en').body.message).toBe('Two holes.');
    // 5xx never shows the thrower's sentence.
    const hidden = geoErrors.fail('GEOCODER_UNAVAILABLE', 'socket hang up at 10.0.0.3');
    expect(toPublicError(hidden, undefined, 'en').body.message).toBe(geoErrors.specs.GEOCODER_UNAVAILABLE.en);
  });

  it('picks the account locale, then Accept-Language by weight, then French', () => {
    expect(pickLocale('en', 'fr-FR')).toBe('en');
    expect(pickLocale(undefined, 'de-DE,en;q=0.8,fr;q=0.5')).toBe('en');
    expect(pickLocale(undefined, 'en;q=0.2,fr-CA')).toBe('fr');
    expect(pickLocale(undefined, 'de, es')).toBe('fr');
    expect(pickLocale(undefined, undefined)).toBe('fr');
  });

  it('is assembled per app from what is installed: two apps do not see each other’s codes', () => {
    const withPlugin = buildErrorCatalogue([
      { id: 'geo', errors: geoErrors },
      { id: 'test-plugin', errors: pluginErrors },
    ]);
    const without = buildErrorCatalogue([{ id: 'geo', errors: geoErrors }]);
    expect(withPlugin.get('TEST_THING_GONE')?.owner).toBe('test-plugin');
    expect(without.get('TEST_THING_GONE')).toBeUndefined();
    expect(without.get('NOT_FOUND')?.owner).toBe('core');
    expect(() =>
      buildErrorCatalogue([
        { id: 'a', errors: pluginErrors },
        { id: 'b', errors: pluginErrors },
      ]),
    ).toThrow(/TEST_THING_GONE is declared by both a and b/);
  });

  it('sends an activity’s VigieError to the workflow as an ApplicationFailure typed by its code, and back', async () => {
    const acts = mergeActivities([
      [
        'test',
        {
          refuse: async () => {
            throw pluginErrors.fail('TEST_THING_GONE', undefined, { thing: 7 });
          },
          flaky: async () => {
            throw geoErrors.fail('GEOCODER_UNAVAILABLE');
          },
        },
      ],
    ]);
    const refused = await (acts.refuse as () => Promise<unknown>)().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'TEST_THING_GONE', nonRetryable: true, details: [{ thing: 7 }] });
    const flaky = await (acts.flaky as () => Promise<unknown>)().catch((e: unknown) => e);
    expect(flaky).toMatchObject({ type: 'GEOCODER_UNAVAILABLE', nonRetryable: false });
    // The client side maps the failure (however deeply wrapped) back to the code, from the app's catalogue.
    const catalogue = buildErrorCatalogue([{ id: 'test-plugin', errors: pluginErrors }]);
    const back = catalogue.fromFailure({ name: 'WorkflowUpdateFailedError', cause: { cause: refused } });
    expect([back?.code, back?.statusCode]).toEqual(['TEST_THING_GONE', 410]);
    expect(catalogue.fromFailure(new Error('boom'))).toBeUndefined();
  });
});
