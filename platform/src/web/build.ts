// The web front end is built by Vite from admin-ui/ (the shell) and
// plugins/*/ui (their pages). `vigie start` and the tests call ensureWebBuilt():
// it rebuilds only when a source is newer than the last build, so a fresh clone
// gets its pages with no extra command and a restart costs nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const webRoot = path.join(repoRoot, 'admin-ui');
export const webDist = path.join(webRoot, 'dist');
const STAMP = '.vigie-build.json';

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** A fingerprint of every input of the build: paths, sizes and modification times. */
export function sourcesFingerprint(): string {
  const files: string[] = [];
  for (const d of ['src', 'public']) walk(path.join(webRoot, d), files);
  for (const f of ['index.html', 'vite.config.ts', 'package.json']) files.push(path.join(webRoot, f));
  const plugins = path.join(repoRoot, 'plugins');
  if (existsSync(plugins))
    for (const p of readdirSync(plugins).sort()) walk(path.join(plugins, p, 'ui'), files);
  const h = createHash('sha256');
  for (const f of files.sort()) {
    if (!existsSync(f)) continue;
    const st = statSync(f);
    h.update(`${path.relative(repoRoot, f)}\0${st.size}\0${Math.floor(st.mtimeMs)}\n`);
  }
  return h.digest('hex');
}

export function webBuildIsFresh(): boolean {
  const stamp = path.join(webDist, STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(webDist, 'index.html'))) return false;
  try {
    return (JSON.parse(readFileSync(stamp, 'utf8')) as { sources?: string }).sources === sourcesFingerprint();
  } catch {
    return false;
  }
}

export interface WebBuildResult {
  built: boolean;
  ms: number;
}

/** Builds admin-ui/dist when it is missing or older than its sources. */
export async function ensureWebBuilt(log: (msg: string) => void = () => undefined): Promise<WebBuildResult> {
  const t0 = Date.now();
  if (webBuildIsFresh()) return { built: false, ms: Date.now() - t0 };
  const sources = sourcesFingerprint();
  log('building the web front end (admin-ui)…');
  // In a child process with NODE_ENV=production: the caller's NODE_ENV (development
  // under `vigie start`, test under vitest) would otherwise give React's dev build.
  await runViteBuild();
  writeFileSync(path.join(webDist, STAMP), JSON.stringify({ sources, builtAt: new Date().toISOString() }));
  return { built: true, ms: Date.now() - t0 };
}

function runViteBuild(): Promise<void> {
  const require = createRequire(path.join(webRoot, 'package.json'));
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
      cwd: webRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`the web front end did not build (vite exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
}
