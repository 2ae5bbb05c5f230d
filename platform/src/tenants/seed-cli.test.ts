import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { withTenant } from '../db/tenant.js';
import { checkCredentials } from '../identity/accounts.js';
import { cliContext } from '../main/cli-instance.js';
import { seedDemo } from '../main/seed.js';
import { DEMO_OPERATOR, demoOperatorCode } from '../identity/index.js';
import { operatorLogin } from '../identity/operators.js';
import { DEMO_PASSWORD } from '../main/demo.js';
import { tenantsCommand } from '../main/commands/tenants.js';
import { REPO_TENANTS, serrisSpec, tempTenantsRoot, writeTenantFolder } from './testing/fixtures.js';

const run = promisify(execFile);
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const runtime = (env: 'development' | 'production') =>
  ({
    config: { ...ctx.config, env },
    db: ctx.db,
    operatorDb: ctx.operatorDb,
    plugins: ctx.plugins,
    get: ctx.vigie.get,
  }) as Parameters<typeof seedDemo>[0];
const silent = pino({ level: 'silent' });

function cliEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: ctx.database.ownerUrl,
    VIGIE_DB_APP_PASSWORD: ctx.env.appPassword,
    VIGIE_DB_OPERATOR_PASSWORD: ctx.env.operatorPassword,
  };
}

/** The real `vigie` CLI, in a child process, against this test's database (slow: it loads the whole platform). */
async function vigieProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = ctx.env.repoRoot;
  try {
    const r = await run(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'platform/src/main/cli.ts'), 'tenants', ...args],
      { cwd: root, env: { ...process.env, ...cliEnv() }, timeout: 180_000 },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The same command, run in this process (its output captured). */
async function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, cliEnv());
  const cwd = process.cwd();
  process.chdir(ctx.env.repoRoot);
  const out: string[] = [];
  const err: string[] = [];
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const code = await tenantsCommand.run(args, cliContext);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.chdir(cwd);
    process.env = saved;
  }
}

describe('vigie tenants (CLI)', () => {
  it('--dry-run prints the changes and writes nothing; apply creates; the second apply reports no change', async () => {
    const dry = await vigieProcess('apply', 'tenants/serris', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('serris: would be created');
    expect(dry.stdout).toContain('+ settings.police.phone: "01 60 43 27 15"');
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(await ctx.operatorDb('tenants').count({ n: '*' })).toEqual([{ n: 0 }]);

    const first = await vigie('apply', '--all');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('magny-le-hongre: created');
    expect(first.stdout).toContain('serris: created');
    expect(first.stdout).toContain('2 communes: 2 changed, 0 no change, 0 refused.');

    const second = await vigie('apply', '--all');
    expect(second.stdout).toContain('serris: no change');
    expect(second.stdout).toContain('2 communes: 0 changed, 2 no change, 0 refused.');
  }, 240_000);

  it('refuses a broken folder with every problem and exit code 1', async () => {
    const root = tempTenantsRoot();
    writeTenantFolder(root, {
      ...serrisSpec(),
      inseeCode: '77999',
      branding: { ...(serrisSpec().branding as object), primaryColor: 'bleu' },
    });
    const r = await vigie('apply', '--all', '--root', root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('serris: refused (TENANT_SPEC_INVALID)');
    expect(r.stdout).toContain('✗ /branding/primaryColor: couleur attendue au format #rrggbb');
  }, 60_000);

  it('suspends and reactivates', async () => {
    expect((await vigie('suspend', 'magny-le-hongre', '--reason', 'test')).stdout).toContain(
      'magny-le-hongre: trial → suspended',
    );
    expect((await vigie('reactivate', 'magny-le-hongre')).stdout).toContain(
      'magny-le-hongre: suspended → trial',
    );
    const unknown = await vigie('suspend', 'atlantis');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('TENANT_NOT_FOUND');
  }, 60_000);
});

describe('demo seed (npm start)', () => {
  it('applies every commune and, in development, creates one account per role that can log in', async () => {
    const first = await seedDemo(runtime('development'), REPO_TENANTS, silent);
    expect(first.portals).toEqual([
      { slug: 'magny-le-hongre', name: 'Magny-le-Hongre' },
      { slug: 'serris', name: 'Serris' },
    ]);
    const serrisLogins = first.logins.filter((l) => l.tenant === 'serris');
    expect(serrisLogins.map((l) => l.role)).toEqual([
      'mairie_admin',
      'police_chief',
      'police_agent',
      'referent',
      'resident',
      'resident',
      'ccas_agent',
    ]);

    const serrisId = (await ctx.operatorDb('tenants').where({ slug: 'serris' }).first('id')).id as string;
    const account = await withTenant(ctx.db, serrisId, (trx) =>
      checkCredentials(trx, serrisId, 'referent@serris.example', DEMO_PASSWORD),
    );
    const referent = await withTenant(ctx.db, serrisId, (trx) =>
      trx('role_assignments').where({ account_id: account.id, role: 'referent' }).first('scope_id'),
    );
    expect(referent.scope_id).toMatch(/^[0-9a-f-]{36}$/);

    const again = await seedDemo(runtime('development'), REPO_TENANTS, silent);
    expect(again).toEqual(first);
    expect((await withTenant(ctx.db, serrisId, (trx) => trx('accounts').count({ n: '*' })))[0]!.n).toBe(8); // seven demo accounts and the invited first admin
  });

  it('creates no demo account outside development', async () => {
    expect((await seedDemo(runtime('production'), REPO_TENANTS, silent)).logins).toEqual([]);
  });

  it('creates the demo operator in development only, who signs in with the printed key', async () => {
    const production = await seedDemo(runtime('production'), REPO_TENANTS, silent);
    expect(production.operator).toBeUndefined();
    const dev = await seedDemo(runtime('development'), REPO_TENANTS, silent);
    expect(dev.operator).toEqual(DEMO_OPERATOR);
    const session = await operatorLogin(
      ctx.operatorDb,
      ctx.config,
      DEMO_OPERATOR.email,
      DEMO_OPERATOR.password,
      demoOperatorCode(),
    );
    expect(session.csrfToken).toBeTruthy();
    await seedDemo(runtime('development'), REPO_TENANTS, silent);
    expect(await ctx.operatorDb('operators').where({ email: DEMO_OPERATOR.email }).count({ n: '*' })).toEqual(
      [{ n: 1 }],
    );
  });
});
