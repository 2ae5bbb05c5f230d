// Configuration comes from the environment, is validated once at start-up, and is
// then passed down as a plain object. A wrong value stops the process with a
// message that names the variable, instead of failing later in some request.
import path from 'node:path';

export type NodeEnv = 'development' | 'test' | 'production';

export interface Config {
  env: NodeEnv;
  host: string;
  port: number;
  publicUrl: string;
  baseDomain: string;
  logLevel: string;
  dataDir: string;
  /** Owner connection (migrations). Undefined: start embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Application connection: a role that owns nothing and does not bypass RLS. */
  databaseAppUrl: string | undefined;
  /** Operator connection: the separate code path for platform operators. */
  databaseOperatorUrl: string | undefined;
  dbAppPassword: string;
  dbOperatorPassword: string;
  dbPoolMax: number;
  embeddedPgPort: number;
  /** Undefined: start the Temporal dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalTaskQueue: string;
  temporalCli: string | undefined;
  embeddedTemporalPort: number;
  embeddedTemporalUiPort: number;
  secret: string;
  /** Twilio Messaging Service; undefined: SMS go to the dev outbox. */
  twilio: TwilioConfig | undefined;
  /** Amazon SES; undefined: emails go to the dev outbox. */
  ses: SesConfig | undefined;
  /** Amazon SNS notifications from SES (bounces, complaints, deliveries). */
  sns: SnsConfig;
  /** Web push (VAPID); undefined: keys generated once into the data dir, outside production only. */
  vapid: VapidConfig | undefined;
  /** local: the commune's imported BAN extract only; ign: then the IGN Géoplateforme for what it does not know. */
  geocoder: 'local' | 'ign';
  /** The maps' background: Plan IGN raster tiles, or a plain offline background. */
  basemap: 'ign' | 'none';
  /** Bearer token Prometheus sends to GET /metrics; without one, /metrics answers only to loopback callers. */
  metricsToken: string | undefined;
  /** OpenTelemetry traces over OTLP/HTTP; undefined (the default): no tracing, no SDK loaded. */
  tracing: TracingConfig | undefined;
  ignGeocoderUrl: string;
  /** Where proofs of address are stored (encrypted): local disk, or S3-compatible object storage. */
  files: FilesConfig;
  /** Stripe; undefined: the price list is shown but communes cannot subscribe. */
  stripe: StripeConfig | undefined;
  /** Days between a failed payment and the commune's suspension (decimals allowed, for tests). */
  billingGraceDays: number;
  /** Days a cancelled commune stays readable for its data export before its data is deleted (decimals allowed, for tests). */
  billingDeletionDays: number;
  /** The providers' send rates, held across every worker (alerts/send-rate.ts), and sends in flight per worker process. */
  sendRates: { sms: number; email: number; push: number; voice: number; inFlight: number };
}

export interface TracingConfig {
  /** Where spans are posted (OTLP/HTTP, JSON), e.g. http://otel-collector:4318/v1/traces. */
  tracesUrl: string;
  /** service.name of the exported spans; vigie-<role> (api, worker, all-in-one) when unset. */
  serviceName: string | undefined;
  /** Share of new traces kept (0 to 1); a trace started upstream keeps its caller's decision. */
  sampleRatio: number;
}

export interface StripeConfig {
  secretKey: string;
  /** Checks the Stripe-Signature of POST /webhooks/stripe. */
  webhookSecret: string | undefined;
  /** Only to reach a stand-in (stripe-mock): host, port and protocol. */
  apiBaseUrl: string | undefined;
}

export type FilesConfig =
  | { backend: 'local'; dir: string }
  | { backend: 's3'; bucket: string; region: string; endpoint: string | undefined; prefix: string };

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  messagingServiceSid: string;
  /** Caller number of voice calls (E.164); undefined: calls are refused CONFIGURATION and fall back. */
  voiceFrom?: string;
  /** Only to reach a stand-in; the SDK's own host otherwise. */
  apiBaseUrl: string | undefined;
}

export interface SesConfig {
  region: string;
  from: string;
  configurationSet: string | undefined;
  /** Only to reach a stand-in (aws-ses-v2-local). */
  endpoint: string | undefined;
}

export interface VapidConfig {
  /** Uncompressed P-256 public key, base64url (65 bytes): what browsers subscribe with. */
  publicKey: string;
  /** P-256 private key, base64url (32 bytes). */
  privateKey: string;
  /** mailto: or https: contact that push services may use to reach the operator. */
  subject: string;
}

export interface SnsConfig {
  /** A PEM certificate trusted in place of the one at SigningCertURL (tests and local demos, never production). */
  trustedCertPath: string | undefined;
}

export interface EnvVarDoc {
  name: string;
  default: string;
  description: string;
}

/** Every variable Vigie reads. The README's configuration table mirrors this list. */
export const ENV_VARS: EnvVarDoc[] = [
  { name: 'NODE_ENV', default: 'development', description: 'development, test or production' },
  { name: 'HOST', default: 'localhost', description: 'interface the API listens on' },
  { name: 'PORT', default: '3000', description: 'API port' },
  {
    name: 'VIGIE_PUBLIC_URL',
    default: 'http://localhost:${PORT}',
    description: 'public URL of the API, used in links and webhook signatures',
  },
  {
    name: 'VIGIE_BASE_DOMAIN',
    default: 'localhost',
    description: 'communes are served on <slug>.<base domain>',
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level' },
  { name: 'VIGIE_DATA_DIR', default: '.vigie', description: 'embedded data, tools and local files' },
  {
    name: 'DATABASE_URL',
    default: '(embedded PostgreSQL)',
    description: 'owner connection, used for migrations; set it to use an external PostgreSQL',
  },
  {
    name: 'DATABASE_APP_URL',
    default: 'DATABASE_URL with the vigie_app role',
    description: 'application connection (no ownership, no BYPASSRLS)',
  },
  {
    name: 'DATABASE_OPERATOR_URL',
    default: 'DATABASE_URL with the vigie_operator role',
    description: 'platform operators connection',
  },
  {
    name: 'VIGIE_DB_APP_PASSWORD',
    default: 'vigie_app (development only)',
    description: 'password given to the vigie_app role',
  },
  {
    name: 'VIGIE_DB_OPERATOR_PASSWORD',
    default: 'vigie_operator (development only)',
    description: 'password given to the vigie_operator role',
  },
  { name: 'DATABASE_POOL_MAX', default: '10', description: 'connections per pool' },
  { name: 'VIGIE_EMBEDDED_PG_PORT', default: '54329', description: 'port of the embedded PostgreSQL' },
  {
    name: 'TEMPORAL_ADDRESS',
    default: '(Temporal dev server)',
    description: 'host:port of a Temporal frontend; set it to use an external Temporal',
  },
  { name: 'TEMPORAL_NAMESPACE', default: 'default', description: 'Temporal namespace' },
  { name: 'TEMPORAL_TASK_QUEUE', default: 'vigie', description: 'task queue of the worker' },
  {
    name: 'TEMPORAL_CLI',
    default: '(PATH, then .vigie/tools)',
    description: 'path of the temporal CLI binary for the dev server',
  },
  {
    name: 'VIGIE_EMBEDDED_TEMPORAL_PORT',
    default: '7233',
    description: 'gRPC port of the Temporal dev server',
  },
  {
    name: 'VIGIE_EMBEDDED_TEMPORAL_UI_PORT',
    default: '8233',
    description: 'web UI port of the Temporal dev server',
  },
  {
    name: 'VIGIE_SECRET',
    default: '(random, kept in .vigie/secret; required in production)',
    description: 'at least 32 characters; signs cookies and derives encryption keys',
  },
  {
    name: 'TWILIO_ACCOUNT_SID',
    default: '(none: SMS go to the dev outbox)',
    description:
      'Twilio account (AC…); set it with TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID to send SMS',
  },
  {
    name: 'TWILIO_AUTH_TOKEN',
    default: '(none)',
    description: 'Twilio auth token; also checks the X-Twilio-Signature of webhooks',
  },
  {
    name: 'TWILIO_MESSAGING_SERVICE_SID',
    default: '(none)',
    description: 'Twilio Messaging Service (MG…) that picks the sender number',
  },
  {
    name: 'TWILIO_VOICE_FROM',
    default: '(none: voice calls are refused and fall back to email or SMS)',
    description:
      'caller number (E.164) of voice calls to landlines, a Twilio number of the account; used when Twilio is configured',
  },
  {
    name: 'TWILIO_API_BASE_URL',
    default: 'https://api.twilio.com',
    description: 'only to point the Twilio SDK at a local stand-in',
  },
  {
    name: 'AWS_REGION',
    default: 'eu-west-3',
    description: 'region of Amazon SES (and of the SNS topic of its notifications)',
  },
  {
    name: 'SES_FROM',
    default: '(none: emails go to the dev outbox)',
    description: 'verified sender address, e.g. "Vigie <alertes@vigie.example>"; enables Amazon SES',
  },
  {
    name: 'SES_CONFIGURATION_SET',
    default: '(none)',
    description:
      'SES configuration set whose event destination publishes bounces, complaints and deliveries to SNS',
  },
  {
    name: 'SES_ENDPOINT',
    default: '(the SDK default)',
    description: 'only to point the SES client at a local stand-in (aws-ses-v2-local)',
  },
  {
    name: 'SNS_TRUSTED_CERT_PATH',
    default: '(none)',
    description:
      'outside production only: a PEM certificate trusted for SNS signatures instead of fetching SigningCertURL',
  },
  {
    name: 'VAPID_PUBLIC_KEY',
    default: '(generated once into .vigie/vapid.json outside production)',
    description:
      'web push: the VAPID public key (base64url, 65 bytes), set with VAPID_PRIVATE_KEY and VAPID_SUBJECT; without them in production, web push is off',
  },
  {
    name: 'VAPID_PRIVATE_KEY',
    default: '(generated with the public key)',
    description:
      'web push: the VAPID private key (base64url, 32 bytes); changing it invalidates every subscription',
  },
  {
    name: 'VAPID_SUBJECT',
    default: 'mailto:contact@vigie.localhost',
    description: 'web push: mailto: or https: contact given to the push services',
  },
  {
    name: 'VIGIE_GEOCODER',
    default: 'local',
    description:
      "local (the commune's imported BAN extract) or ign (then the IGN Géoplateforme geocoder as a fallback)",
  },
  {
    name: 'VIGIE_METRICS_TOKEN',
    default: '(none: /metrics answers loopback callers only)',
    description:
      'bearer token Prometheus presents to GET /metrics on the API and the worker (Authorization: Bearer …)',
  },
  {
    name: 'VIGIE_OTEL_ENDPOINT',
    default: '(none: no tracing)',
    description:
      'OTLP/HTTP endpoint of an OpenTelemetry collector (http://collector:4318, or its full …/v1/traces URL); turns tracing on',
  },
  {
    name: 'VIGIE_OTEL_SERVICE_NAME',
    default: 'vigie-api, vigie-worker or vigie-all-in-one',
    description: 'service.name of the exported spans (by default the process role)',
  },
  {
    name: 'VIGIE_OTEL_SAMPLE_RATIO',
    default: '1',
    description:
      "share of new traces kept, from 0 to 1 (a trace started upstream keeps its caller's decision)",
  },
  {
    name: 'VIGIE_BASEMAP',
    default: 'ign in production, none otherwise',
    description:
      'background of the maps: ign (Plan IGN raster tiles from data.geopf.fr, © IGN, Licence Ouverte) or none (a plain background that needs no network)',
  },
  {
    name: 'VIGIE_IGN_GEOCODER_URL',
    default: 'https://data.geopf.fr/geocodage',
    description: 'base URL of the IGN Géoplateforme geocoding service',
  },
  {
    name: 'VIGIE_FILES',
    default: 'local',
    description: 'file store for proofs of address: local (disk) or s3 (S3-compatible object storage)',
  },
  {
    name: 'VIGIE_FILES_DIR',
    default: '<VIGIE_DATA_DIR>/files',
    description: 'directory of the local file store',
  },
  {
    name: 'S3_BUCKET',
    default: '(none)',
    description: 'private bucket of the S3 file store (required with VIGIE_FILES=s3)',
  },
  { name: 'S3_REGION', default: 'eu-west-3', description: 'region of the S3 bucket' },
  {
    name: 'S3_ENDPOINT',
    default: '(AWS)',
    description: 'endpoint of an S3-compatible provider (Scaleway, OVHcloud, MinIO); https in production',
  },
  { name: 'S3_PREFIX', default: '(none)', description: 'key prefix inside the bucket' },
  {
    name: 'STRIPE_SECRET_KEY',
    default: '(none: the price list is shown, subscribing is off)',
    description: 'Stripe secret key (sk_…); enables subscriptions and `vigie billing sync`',
  },
  {
    name: 'STRIPE_WEBHOOK_SECRET',
    default: '(none: POST /webhooks/stripe refuses everything)',
    description: 'signing secret (whsec_…) of the Stripe webhook endpoint',
  },
  {
    name: 'STRIPE_API_BASE_URL',
    default: 'https://api.stripe.com',
    description: 'only to point the Stripe SDK at a local stand-in (stripe-mock)',
  },
  {
    name: 'VIGIE_BILLING_GRACE_DAYS',
    default: '30',
    description: 'days between a failed payment and the suspension of the commune',
  },
  {
    name: 'VIGIE_BILLING_DELETION_DAYS',
    default: '90',
    description:
      "days a cancelled commune stays readable for its data export, then a workflow deletes the commune's data",
  },
  {
    name: 'VIGIE_SMS_PER_SECOND',
    default: '30',
    description: "SMS per second to Twilio, all workers together (the Messaging Service's rate)",
  },
  {
    name: 'VIGIE_EMAIL_PER_SECOND',
    default: '14',
    description: "emails per second to Amazon SES, all workers together (the account's sending rate)",
  },
  {
    name: 'VIGIE_PUSH_PER_SECOND',
    default: '200',
    description: 'web pushes per second, all workers together',
  },
  {
    name: 'VIGIE_VOICE_PER_SECOND',
    default: '1',
    description:
      "voice calls started per second to Twilio, all workers together (the account's calls per second)",
  },
  {
    name: 'VIGIE_SENDS_IN_FLIGHT',
    default: '50',
    description: 'provider requests in flight per worker process and channel',
  },
];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration error: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535)
    throw new ConfigError(name, `must be a port number between 1 and 65535, got "${raw}"`);
  return n;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  return n;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback);
  if (!values.includes(raw as T))
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

export interface LoadConfigOptions {
  /** Used when VIGIE_SECRET is not set outside production (the CLI keeps one in .vigie/secret). */
  devSecret?: string;
  cwd?: string;
}

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const prod = nodeEnv === 'production';
  const listenPort = port(env, 'PORT', 3000);
  const logLevel = oneOf(
    env,
    'LOG_LEVEL',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
  );

  const pgProtocols = ['postgres:', 'postgresql:'];
  const databaseUrl = url(env, 'DATABASE_URL', pgProtocols);
  const databaseAppUrl = url(env, 'DATABASE_APP_URL', pgProtocols);
  const databaseOperatorUrl = url(env, 'DATABASE_OPERATOR_URL', pgProtocols);

  const temporalAddress = optional(env, 'TEMPORAL_ADDRESS');
  if (temporalAddress !== undefined && !/^[\w.-]+:\d{1,5}$/.test(temporalAddress)) {
    throw new ConfigError('TEMPORAL_ADDRESS', `must look like host:port, got "${temporalAddress}"`);
  }

  const secret =
    optional(env, 'VIGIE_SECRET') ??
    (prod ? undefined : options.devSecret) ??
    (prod ? undefined : 'development-secret-not-for-production-use');
  if (secret === undefined) throw new ConfigError('VIGIE_SECRET', 'is required in production');
  if (secret.length < 32) throw new ConfigError('VIGIE_SECRET', 'must be at least 32 characters long');

  const appPassword = optional(env, 'VIGIE_DB_APP_PASSWORD');
  const operatorPassword = optional(env, 'VIGIE_DB_OPERATOR_PASSWORD');
  if (prod && databaseUrl && !databaseAppUrl && !appPassword) {
    throw new ConfigError(
      'VIGIE_DB_APP_PASSWORD',
      'is required in production when DATABASE_APP_URL is not set',
    );
  }

  const publicUrl = url(env, 'VIGIE_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${listenPort}`;
  const dataDir = path.resolve(options.cwd ?? process.cwd(), str(env, 'VIGIE_DATA_DIR', '.vigie'));

  return {
    ...providerConfig(env, prod),
    vapid: vapidConfig(env),
    env: nodeEnv,
    host: str(env, 'HOST', 'localhost'),
    port: listenPort,
    publicUrl: publicUrl.replace(/\/$/, ''),
    baseDomain: str(env, 'VIGIE_BASE_DOMAIN', 'localhost').toLowerCase(),
    logLevel,
    dataDir,
    databaseUrl,
    databaseAppUrl,
    databaseOperatorUrl,
    dbAppPassword: appPassword ?? 'vigie_app',
    dbOperatorPassword: operatorPassword ?? 'vigie_operator',
    dbPoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 500),
    embeddedPgPort: port(env, 'VIGIE_EMBEDDED_PG_PORT', 54329),
    temporalAddress,
    temporalNamespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
    temporalTaskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'vigie'),
    temporalCli: optional(env, 'TEMPORAL_CLI'),
    embeddedTemporalPort: port(env, 'VIGIE_EMBEDDED_TEMPORAL_PORT', 7233),
    embeddedTemporalUiPort: port(env, 'VIGIE_EMBEDDED_TEMPORAL_UI_PORT', 8233),
    secret,
    geocoder: oneOf(env, 'VIGIE_GEOCODER', ['local', 'ign'] as const, 'local'),
    basemap: oneOf(env, 'VIGIE_BASEMAP', ['ign', 'none'] as const, prod ? 'ign' : 'none'),
    metricsToken: optional(env, 'VIGIE_METRICS_TOKEN'),
    tracing: tracingConfig(env),
    ignGeocoderUrl: (
      url(env, 'VIGIE_IGN_GEOCODER_URL', prod ? ['https:'] : ['http:', 'https:']) ??
      'https://data.geopf.fr/geocodage'
    ).replace(/\/$/, ''),
    files: filesConfig(env, prod, dataDir, options.cwd),
    stripe: stripeConfig(env, prod),
    billingGraceDays: graceDays(env),
    billingDeletionDays: days(env, 'VIGIE_BILLING_DELETION_DAYS', 90, 3650),
    sendRates: {
      sms: positive(env, 'VIGIE_SMS_PER_SECOND', 30),
      email: positive(env, 'VIGIE_EMAIL_PER_SECOND', 14),
      push: positive(env, 'VIGIE_PUSH_PER_SECOND', 200),
      voice: positive(env, 'VIGIE_VOICE_PER_SECOND', 1),
      inFlight: Math.max(1, Math.floor(positive(env, 'VIGIE_SENDS_IN_FLIGHT', 50))),
    },
  };
}

function stripeConfig(env: Env, prod: boolean): StripeConfig | undefined {
  const secretKey = optional(env, 'STRIPE_SECRET_KEY');
  if (secretKey === undefined) return undefined;
  if (!/^(sk|rk)_(test|live)_\w+$/.test(secretKey))
    throw new ConfigError('STRIPE_SECRET_KEY', 'must look like sk_test_… or sk_live_…');
  return {
    secretKey,
    webhookSecret: optional(env, 'STRIPE_WEBHOOK_SECRET'),
    apiBaseUrl: url(env, 'STRIPE_API_BASE_URL', prod ? ['https:'] : ['http:', 'https:']),
  };
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n <= 0) throw new ConfigError(name, 'must be a positive number');
  return n;
}

function graceDays(env: Env): number {
  const raw = optional(env, 'VIGIE_BILLING_GRACE_DAYS');
  if (raw === undefined) return 30;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n > 365)
    throw new ConfigError(
      'VIGIE_BILLING_GRACE_DAYS',
      `must be a number of days between 0 and 365, got "${raw}"`,
    );
  return n;
}

function days(env: Env, name: string, fallback: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n > max)
    throw new ConfigError(name, `must be a number of days between 0 and ${max}, got "${raw}"`);
  return n;
}

function filesConfig(env: Env, prod: boolean, dataDir: string, cwd: string | undefined): FilesConfig {
  const backend = oneOf(env, 'VIGIE_FILES', ['local', 's3'] as const, 'local');
  if (backend === 'local')
    return {
      backend,
      dir: path.resolve(cwd ?? process.cwd(), str(env, 'VIGIE_FILES_DIR', path.join(dataDir, 'files'))),
    };
  const bucket = optional(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when VIGIE_FILES=s3');
  // Proofs of address travel to this endpoint: never in clear text in production.
  const endpoint = url(env, 'S3_ENDPOINT', prod ? ['https:'] : ['http:', 'https:']);
  return {
    backend,
    bucket,
    region: str(env, 'S3_REGION', 'eu-west-3'),
    endpoint,
    prefix: str(env, 'S3_PREFIX', ''),
  };
}

/**
 * Tracing is on only when VIGIE_OTEL_ENDPOINT is set: the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT alone (a cluster may inject it into every pod)
 * does not start exporting from a service that handles residents' alerts.
 */
function tracingConfig(env: Env): TracingConfig | undefined {
  const endpoint = url(env, 'VIGIE_OTEL_ENDPOINT', ['http:', 'https:']);
  if (endpoint === undefined) return undefined;
  const raw = optional(env, 'VIGIE_OTEL_SAMPLE_RATIO');
  const ratio = raw === undefined ? 1 : Number(raw);
  if (raw !== undefined && (!/^\d*\.?\d+$/.test(raw) || ratio > 1))
    throw new ConfigError('VIGIE_OTEL_SAMPLE_RATIO', `must be a number between 0 and 1, got "${raw}"`);
  const base = endpoint.replace(/\/+$/, '');
  return {
    // As with OTEL_EXPORTER_OTLP_ENDPOINT, a base URL gets the signal's path.
    tracesUrl: base.endsWith('/v1/traces') ? base : `${base}/v1/traces`,
    serviceName: optional(env, 'VIGIE_OTEL_SERVICE_NAME'),
    sampleRatio: ratio,
  };
}

/** VAPID: both keys or none; a key of the wrong size would only fail at the first push. */
function vapidConfig(env: Env): VapidConfig | undefined {
  const publicKey = optional(env, 'VAPID_PUBLIC_KEY');
  const privateKey = optional(env, 'VAPID_PRIVATE_KEY');
  if (publicKey === undefined && privateKey === undefined) return undefined;
  if (publicKey === undefined)
    throw new ConfigError('VAPID_PUBLIC_KEY', 'is required when VAPID_PRIVATE_KEY is set');
  if (privateKey === undefined)
    throw new ConfigError('VAPID_PRIVATE_KEY', 'is required when VAPID_PUBLIC_KEY is set');
  const bytes = (v: string) => (/^[A-Za-z0-9_-]+$/.test(v) ? Buffer.from(v, 'base64url').length : -1);
  if (bytes(publicKey) !== 65 || Buffer.from(publicKey, 'base64url')[0] !== 4)
    throw new ConfigError(
      'VAPID_PUBLIC_KEY',
      'must be an uncompressed P-256 public key, base64url (65 bytes)',
    );
  if (bytes(privateKey) !== 32)
    throw new ConfigError('VAPID_PRIVATE_KEY', 'must be a P-256 private key, base64url (32 bytes)');
  const subject = str(env, 'VAPID_SUBJECT', 'mailto:contact@vigie.localhost');
  if (!/^mailto:[^\s@]+@[^\s@]+$/.test(subject) && !/^https:\/\/[^\s]+$/.test(subject))
    throw new ConfigError('VAPID_SUBJECT', 'must be a mailto: address or an https: URL');
  return { publicKey, privateKey, subject };
}

/** Twilio, SES and SNS: all or nothing per provider, so a half-configured provider stops the start. */
function providerConfig(env: Env, prod: boolean): Pick<Config, 'twilio' | 'ses' | 'sns'> {
  const twilioVars = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_MESSAGING_SERVICE_SID'] as const;
  const setTwilio = twilioVars.filter((v) => optional(env, v) !== undefined);
  if (setTwilio.length > 0 && setTwilio.length < twilioVars.length) {
    throw new ConfigError(
      twilioVars.find((v) => optional(env, v) === undefined)!,
      `is required when ${setTwilio.join(', ')} is set`,
    );
  }
  const accountSid = optional(env, 'TWILIO_ACCOUNT_SID');
  if (accountSid !== undefined && !/^AC[0-9a-fA-F]{32}$/.test(accountSid))
    throw new ConfigError('TWILIO_ACCOUNT_SID', 'must look like AC followed by 32 hex digits');
  const serviceSid = optional(env, 'TWILIO_MESSAGING_SERVICE_SID');
  if (serviceSid !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(serviceSid))
    throw new ConfigError('TWILIO_MESSAGING_SERVICE_SID', 'must look like MG followed by 32 hex digits');
  const twilioBase = url(env, 'TWILIO_API_BASE_URL', prod ? ['https:'] : ['http:', 'https:']);
  const voiceFrom = optional(env, 'TWILIO_VOICE_FROM');
  if (voiceFrom !== undefined && !/^\+[1-9]\d{6,14}$/.test(voiceFrom))
    throw new ConfigError('TWILIO_VOICE_FROM', 'must be a phone number in E.164 form, e.g. +33180000000');

  const from = optional(env, 'SES_FROM');
  if (from !== undefined && !/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(from))
    throw new ConfigError('SES_FROM', 'must be an email address, optionally as "Name <address>"');
  const sesEndpoint = url(env, 'SES_ENDPOINT', prod ? ['https:'] : ['http:', 'https:']);

  const trustedCertPath = optional(env, 'SNS_TRUSTED_CERT_PATH');
  // A locally trusted certificate would let anyone holding its key forge bounces and complaints.
  if (trustedCertPath !== undefined && prod)
    throw new ConfigError('SNS_TRUSTED_CERT_PATH', 'is for tests and local demos only, not production');

  return {
    twilio: accountSid
      ? {
          accountSid,
          authToken: optional(env, 'TWILIO_AUTH_TOKEN')!,
          messagingServiceSid: serviceSid!,
          ...(voiceFrom ? { voiceFrom } : {}),
          apiBaseUrl: twilioBase?.replace(/\/$/, ''),
        }
      : undefined,
    ses: from
      ? {
          region: str(env, 'AWS_REGION', 'eu-west-3'),
          from,
          configurationSet: optional(env, 'SES_CONFIGURATION_SET'),
          endpoint: sesEndpoint,
        }
      : undefined,
    sns: { trustedCertPath },
  };
}
