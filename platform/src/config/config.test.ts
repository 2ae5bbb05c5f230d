// A wrong or missing value stops the start-up with a sentence that names the
// variable, and the README's configuration table says what the code reads.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ConfigError, ENV_VARS, loadConfig } from './config.js';
import { README, configTable, withConfigTable } from './docs.js';

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('configuration from the environment', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT', 'abc'],
    [{ PORT: '70000' }, 'PORT', '70000'],
    [{ DATABASE_URL: 'not-a-url' }, 'DATABASE_URL', 'not a valid URL'],
    [{ DATABASE_URL: 'mysql://db/vigie' }, 'DATABASE_URL', 'postgres:'],
    [{ NODE_ENV: 'production' }, 'VIGIE_SECRET', 'required in production'],
    [{ VIGIE_SECRET: 'too-short' }, 'VIGIE_SECRET', '32 characters'],
    [{ TEMPORAL_ADDRESS: 'bad' }, 'TEMPORAL_ADDRESS', 'host:port'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', 'development, test, production'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX', 'between 1 and 500'],
    [{ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }, 'TWILIO_AUTH_TOKEN', 'required'],
    [{ VIGIE_FILES: 'ftp' }, 'VIGIE_FILES', 'local, s3'],
    [{ VIGIE_OTEL_ENDPOINT: 'collector:4318' }, 'VIGIE_OTEL_ENDPOINT', 'http: or https:'],
    [
      { VIGIE_OTEL_ENDPOINT: 'http://collector:4318', VIGIE_OTEL_SAMPLE_RATIO: '1.5' },
      'VIGIE_OTEL_SAMPLE_RATIO',
      'between 0 and 1',
    ],
    [
      { VIGIE_OTEL_ENDPOINT: 'http://collector:4318', VIGIE_OTEL_SAMPLE_RATIO: '10%' },
      'VIGIE_OTEL_SAMPLE_RATIO',
      'between 0 and 1',
    ],
    [{ VIGIE_FILES: 's3' }, 'S3_BUCKET', 'required when VIGIE_FILES=s3'],
    [
      {
        NODE_ENV: 'production',
        VIGIE_SECRET: 's'.repeat(40),
        VIGIE_FILES: 's3',
        S3_BUCKET: 'proofs',
        S3_ENDPOINT: 'http://minio.internal:9000',
      },
      'S3_ENDPOINT',
      'https:',
    ],
  ])('refuses %o, naming %s', (env, variable, detail) => {
    const err = refusal(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
    expect(err.message).toContain(detail);
  });

  it('starts with defaults only, outside production', () => {
    const config = loadConfig({}, { cwd: '/srv/vigie' });
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      dataDir: '/srv/vigie/.vigie',
      databaseUrl: undefined,
      temporalAddress: undefined,
      // maps need no network outside production
      basemap: 'none',
    });
    expect(config.files).toEqual({ backend: 'local', dir: '/srv/vigie/.vigie/files' });
  });

  it('reads the S3-compatible file store with the rest of the configuration', () => {
    const config = loadConfig({
      VIGIE_FILES: 's3',
      S3_BUCKET: 'vigie-proofs',
      S3_ENDPOINT: 'https://s3.fr-par.scw.cloud',
      S3_REGION: 'fr-par',
      S3_PREFIX: 'serris/',
    });
    expect(config.files).toEqual({
      backend: 's3',
      bucket: 'vigie-proofs',
      region: 'fr-par',
      endpoint: 'https://s3.fr-par.scw.cloud',
      prefix: 'serris/',
    });
    expect(loadConfig({ VIGIE_FILES_DIR: 'proofs' }, { cwd: '/srv/vigie' }).files).toEqual({
      backend: 'local',
      dir: '/srv/vigie/proofs',
    });
  });

  it('traces only with VIGIE_OTEL_ENDPOINT, posting to its /v1/traces', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    // The standard variable alone is not a decision to export.
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeUndefined();
    expect(loadConfig({ VIGIE_OTEL_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: undefined,
      sampleRatio: 1,
    });
    expect(
      loadConfig({
        VIGIE_OTEL_ENDPOINT: 'https://otlp.example/v1/traces',
        VIGIE_OTEL_SERVICE_NAME: 'vigie-serris',
        VIGIE_OTEL_SAMPLE_RATIO: '0.25',
      }).tracing,
    ).toEqual({
      tracesUrl: 'https://otlp.example/v1/traces',
      serviceName: 'vigie-serris',
      sampleRatio: 0.25,
    });
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      VIGIE_SECRET: 's'.repeat(40),
      DATABASE_URL: 'postgres://vigie_owner:pw@db.internal:5432/vigie',
      VIGIE_DB_APP_PASSWORD: 'app-pw',
      TEMPORAL_ADDRESS: 'temporal-frontend.temporal:7233',
    });
    expect(config).toMatchObject({
      env: 'production',
      temporalAddress: 'temporal-frontend.temporal:7233',
      basemap: 'ign',
    });
  });

  it('makes the CLI print the refusal as one sentence, without a stack trace', async () => {
    const { repoRoot } = inject('vigie');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(VIGIE_|DATABASE_|TEMPORAL_|NODE_ENV$|VITEST)/.test(k)) env[k] = v;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'platform/src/main/cli.ts'), 'start'],
      {
        cwd: repoRoot,
        env: { ...env, PORT: 'abc' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Vigie could not start: Configuration error: PORT must be a port number between 1 and 65535, got "abc"',
    ]);
    expect(stdout).toBe('');
  }, 30_000);
});

describe('README configuration table', () => {
  it('lists every variable the code reads, with its default (run `npm run docs:config` when this fails)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withConfigTable(readme), 'README.md is out of date: run npm run docs:config').toBe(readme);
    for (const v of ENV_VARS) expect(readme).toContain(`| \`${v.name}\` |`);
  });

  it('keeps markdown intact whatever the text', () => {
    const table = configTable([{ name: 'X', default: '(a|b)', description: 'served on <slug>.<domain>' }]);
    expect(table.split('\n')[2]).toBe('| `X` | (a\\|b) | served on &lt;slug&gt;.&lt;domain&gt; |');
  });
});
