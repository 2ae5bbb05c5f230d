// Everything a module shares lives on its instance: no file keeps a registry
// at module level, and two instances in one process do not see each other's
// registrations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { geoExtensions, geoServices } from '../geo/hooks.js';
import { residentsServices } from '../residents/hooks.js';
import { setupCommune } from '../residents/testing/commune.js';
import { runLifecycle } from './instance.js';
import { createExtensionPoint, createServiceRef } from './lifecycle.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Module-level state that is not a registry, each with why it may stay. The
 * test fails on any other, so a new registry has to be argued here.
 */
const ALLOWED: Record<string, string> = {
  'platform/src/embedded/process.ts':
    'the child processes of this OS process, for its exit and signal handlers',
  'platform/src/temporal/worker.ts':
    "Temporal's Runtime is one per process by the SDK's design: installed once",
  'platform/src/identity/passwords.ts':
    'a dummy hash computed once, for constant-time refusals of unknown accounts',
  'platform/src/tenants/communes.ts': 'the INSEE list, an immutable data file read once (8 MB)',
  'platform/src/web/assets.ts': 'the built front end read once per build of it (keyed by folder and mtime)',
  'platform/src/notifications/quiet-hours.ts':
    'Intl.DateTimeFormat instances by time zone (immutable, costly to build)',
  'platform/src/alerts/messages.ts': 'rendered MJML email templates by language (pure function of its input)',
  'platform/src/billing/facturx/index.ts':
    'the factur-x Python library, found or pip-installed once per OS process (a folder on disk, like the Temporal CLI)',
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'testing' || name === 'fixtures') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

// At column 0 only: module scope. Immutable constants (`const X = new Set([...])` used
// as a lookup table) are told apart by never being written to: `.add(`, `.set(`, `.push(`.
const MUTABLE_DECL = /^(?:export )?(?:let|var) (\w+)/;
const COLLECTION_DECL =
  /^(?:export )?const (\w+)(?:\s*:[^=]+)?\s*=\s*(?:new (?:Map|Set|WeakMap|WeakSet)\b|\[\s*\]|\{[^}]*:\s*\[\s*\][^}]*\})/;

function moduleLevelState(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const m = MUTABLE_DECL.exec(line);
    if (m) {
      found.push(`let ${m[1]}`);
      continue;
    }
    const c = COLLECTION_DECL.exec(line);
    if (!c) continue;
    const name = c[1]!;
    const written = new RegExp(
      `\\b${name}(?:\\.\\w+)*\\.(?:add|set|push|splice|unshift|delete|clear)\\(`,
    ).test(text);
    if (written) found.push(`const ${name} (written to)`);
  }
  return found;
}

describe('no module-level registry', () => {
  it('finds no mutable state at module scope in platform/ or plugins/, outside the argued exceptions', () => {
    const files = [
      ...sources(path.join(ROOT, 'platform/src')),
      ...readdirSync(path.join(ROOT, 'plugins')).flatMap((p) =>
        sources(path.join(ROOT, 'plugins', p, 'src')),
      ),
    ];
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const f of files) {
      const rel = path.relative(ROOT, f);
      const state = moduleLevelState(f);
      if (state.length > 0 && !ALLOWED[rel]) offenders.push(`${rel}: ${state.join(', ')}`);
    }
    expect(offenders).toEqual([]);
  });

  it('catches the registries it is meant to catch', () => {
    const probe = (src: string) => {
      const text = src.split('\n');
      return text.some((l) => MUTABLE_DECL.test(l) || COLLECTION_DECL.test(l));
    };
    expect(probe('const hooks = new Map<string, Hook>();')).toBe(true);
    expect(probe('export const listeners: Listener[] = [];')).toBe(true);
    expect(probe('export const geoHooks: GeoHooks = { onAddressesReassigned: [] };')).toBe(true);
    expect(probe('let loaded: X | undefined;')).toBe(true);
    expect(probe('  const local = new Map();')).toBe(false);
  });
});

describe('the lifecycle', () => {
  const point = createExtensionPoint<{ add(s: string): void }>('test.point');
  const list = createServiceRef<string[]>('test.list');

  it('runs every register step before any init, and hands each init its named dependencies', async () => {
    const order: string[] = [];
    const lookup = await runLifecycle(
      [],
      [
        {
          id: 'b',
          register(env) {
            order.push('register b');
            env.registerInit({
              deps: { p: point },
              init({ p }) {
                order.push('init b');
                p.add('from b');
              },
            });
          },
        },
        {
          id: 'a',
          register(env) {
            order.push('register a');
            const items: string[] = [];
            env.provide(point, { add: (s) => void items.push(s) });
            env.provide(list, items);
          },
        },
      ],
    );
    expect(order).toEqual(['register b', 'register a', 'init b']);
    expect(lookup.get(list)).toEqual(['from b']);
  });

  it('refuses a missing dependency and an id provided twice, naming the modules', async () => {
    await expect(
      runLifecycle([], [{ id: 'x', register: (env) => env.registerInit({ deps: { p: point }, init() {} }) }]),
    ).rejects.toThrow('x needs test.point (as p), which no installed module or plugin provides');
    await expect(
      runLifecycle(
        [],
        [
          { id: 'a', register: (env) => env.provide(list, []) },
          { id: 'b', register: (env) => env.provide(list, []) },
        ],
      ),
    ).rejects.toThrow('test.list is provided by both a and b');
  });
});

describe('two instances in one process', () => {
  let one: TestContext;
  let two: TestContext;
  beforeAll(async () => {
    [one, two] = await Promise.all([createTestContext(), createTestContext({ plugins: [] })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('keep their own listeners: a listener added to one never hears the other move addresses', async () => {
    expect(one.vigie.get(geoServices.hooks)).not.toBe(two.vigie.get(geoServices.hooks));
    const heard = { one: 0, two: 0 };
    one.vigie.get(geoExtensions.addressesReassigned).listen(async (_trx, changes) => {
      heard.one += changes.length;
    });
    two.vigie.get(geoExtensions.addressesReassigned).listen(async (_trx, changes) => {
      heard.two += changes.length;
    });
    // Addresses imported, then two sectors drawn over them, all through the second instance.
    await setupCommune(two);
    expect(heard.two).toBeGreaterThan(0);
    expect(heard.one).toBe(0);
  });

  it('hold their own plugins: personal data and membership hooks of one are not the other’s', () => {
    expect([...one.vigie.get(residentsServices.hooks).personalData().keys()]).toContain('voisins-vigilants');
    expect([...two.vigie.get(residentsServices.hooks).personalData().keys()]).toEqual([]);
  });
});
