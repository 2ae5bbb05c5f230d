// The heavy SDKs load on first use (docs/decisions.md, "Processes load only
// what they run"): none of them is in the static import graph of the CLI, the
// one entry of `vigie api`, `vigie worker` and `vigie start`. Twice already a
// new feature brought one back with a plain `import` (pdf-lib with fontkit for
// invoices, web-push for VAPID keys: 233 MB idle for `vigie api` against a
// 200 MB goal), which only a benchmark run noticed. The walk reads our sources:
// `import … from`, `export … from` and side-effect imports, not `import type`
// nor `import()`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** Loaded with their first use only; each adds megabytes to a process that may never need it. */
const LAZY = [
  '@temporalio/worker',
  'stripe',
  'twilio',
  '@aws-sdk/client-ses',
  '@aws-sdk/client-s3',
  'pdf-lib',
  '@pdf-lib/fontkit',
  'web-push',
  'mjml',
  '@node-rs/argon2',
  '@opentelemetry/sdk-trace-node',
  'yaml',
];

/** Our workspace packages: name → directory and exports map. */
function workspaces(): Map<string, { dir: string; exports: Record<string, string> }> {
  const root = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] };
  const out = new Map<string, { dir: string; exports: Record<string, string> }>();
  for (const pattern of root.workspaces) {
    const dirs = pattern.endsWith('/*')
      ? readdir(path.join(REPO, pattern.slice(0, -2))).map((d) => path.join(pattern.slice(0, -2), d))
      : [pattern];
    for (const d of dirs) {
      const file = path.join(REPO, d, 'package.json');
      if (!existsSync(file)) continue;
      const j = JSON.parse(readFileSync(file, 'utf8')) as { name: string; exports?: Record<string, string> };
      out.set(j.name, { dir: path.join(REPO, d), exports: j.exports ?? {} });
    }
  }
  return out;
}

function readdir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

const STATIC = [
  /^\s*import\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm,
  /^\s*export\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm,
  /^\s*import\s+['"]([^'"]+)['"]/gm,
];

/** Every package imported statically from `entry`, with one chain that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
  const ws = workspaces();
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const stack: Array<{ file: string; chain: string[] }> = [{ file: entry, chain: [] }];
  while (stack.length > 0) {
    const { file, chain } = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const here = [...chain, path.relative(REPO, file)];
    for (const re of STATIC)
      for (const m of source.matchAll(re)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          const ts = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
          const target = [ts, ts.replace(/\.ts$/, '.tsx')].find((f) => existsSync(f));
          if (target) stack.push({ file: target, chain: here });
          continue;
        }
        const parts = spec.split('/');
        const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        const pkg = ws.get(name);
        if (pkg) {
          const target = pkg.exports[`.${spec.slice(name.length)}`];
          if (target) stack.push({ file: path.join(pkg.dir, target), chain: here });
          continue;
        }
        if (!found.has(name)) found.set(name, here);
      }
  }
  return found;
}

it('keeps every heavy SDK out of the static import graph of the CLI', () => {
  const packages = staticPackages(path.join(REPO, 'platform/src/main/cli.ts'));
  // The walk does see the graph: what every command needs is there.
  for (const needed of ['fastify', 'mercurius', 'knex', '@temporalio/client'])
    expect(packages.has(needed), needed).toBe(true);
  const eager = LAZY.filter((p) => packages.has(p)).map(
    (p) => `${p} ← ${[...packages.get(p)!].reverse().join(' ← ')}`,
  );
  expect(eager).toEqual([]);
});
