// stripe-mock (Stripe's own stateless stand-in, built from their OpenAPI
// spec) on a free port, for the real `stripe` SDK. `.ci/run` installs it into
// .vigie/tools/go; STRIPE_MOCK or PATH may point elsewhere. It sends no
// webhooks: tests sign events themselves with stripe.webhooks.generateTestHeaderString.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './ports.js';

export interface StripeMock {
  url: string;
  /** Environment for createTestContext: the SDK pointed at the stand-in. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_vigie_test_secret';

function binary(repoRoot: string): string {
  const candidates = [process.env.STRIPE_MOCK, path.join(repoRoot, '.vigie/tools/go/stripe-mock')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  if (spawnSync('stripe-mock', ['-version']).status === 0) return 'stripe-mock';
  throw new Error(
    'stripe-mock not found: GOBIN=$PWD/.vigie/tools/go go install github.com/stripe/stripe-mock@v0.203.0 (or set STRIPE_MOCK)',
  );
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`stripe-mock exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error('stripe-mock did not start in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startStripeMock(repoRoot: string): Promise<StripeMock> {
  const [http, https] = await Promise.all([freePort(), freePort()]);
  const child = spawn(binary(repoRoot), ['-http-port', String(http), '-https-port', String(https)], {
    stdio: 'ignore',
  });
  await waitForPort(http, child);
  const url = `http://127.0.0.1:${http}`;
  return {
    url,
    env: {
      STRIPE_SECRET_KEY: 'sk_test_vigie',
      STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: url,
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
