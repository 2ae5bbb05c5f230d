// What every instance provides to its modules and plugins before their
// register steps run. Modules add their own refs next to their code
// (geo/hooks.ts, residents/hooks.ts) and export them through their index.ts.
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { VigiePlugin } from '../plugins/index.js';
import type { PlatformServices } from '../plugins/index.js';
import type { RetentionTargetImpl } from '../retention/index.js';
import type { FileAccess } from '../temporal/index.js';
import type { Temporal } from '../temporal/index.js';
import { createExtensionPoint, createServiceRef } from './lifecycle.js';
import type { StatisticsExtension } from './statistics.js';
import type { SmsRepliesExtension } from './sms-replies.js';
import type { PhoneCallsExtension } from './phone-calls.js';
import type { Metrics } from '../lib/metrics.js';

export const coreServices = {
  config: createServiceRef<Config>('core.config'),
  /** The application pool (RLS enforced). */
  db: createServiceRef<Knex>('core.db'),
  log: createServiceRef<Logger>('core.log'),
  /** The Temporal client, when this process has one. */
  temporal: createServiceRef<Temporal | undefined>('core.temporal'),
  files: createServiceRef<FileAccess>('core.files'),
  /** The installed plugins, in dependency order (enabled per commune is data). */
  plugins: createServiceRef<readonly VigiePlugin[]>('core.plugins'),
  /** The services plugins use (audit, roles, communities, notify, alerts, workflows). */
  platform: createServiceRef<PlatformServices>('core.platform'),
  /** The instance's Prometheus metrics (GET /metrics). */
  metrics: createServiceRef<Metrics>('core.metrics'),
  /** Every module's and plugin's retention targets, for the nightly sweep. */
  retentionTargets: createServiceRef<readonly RetentionTargetImpl[]>('core.retention-targets'),
};

/** Extension points the instance itself offers to every module and plugin. */
export const coreExtensions = {
  /** Counts for the statistics console and the annual report (core/statistics.ts). */
  statistics: createExtensionPoint<StatisticsExtension>('core.statistics'),
  /** Answers by SMS that a module or plugin expects, claimed before a text becomes an alert (core/sms-replies.ts). */
  smsReplies: createExtensionPoint<SmsRepliesExtension>('core.sms-replies'),
  /** What a module or plugin is told when a call it asked for (services.phoneCalls) is settled (core/phone-calls.ts). */
  phoneCalls: createExtensionPoint<PhoneCallsExtension>('core.phone-calls'),
};

/**
 * Services for core modules only, never re-exported by the plugin API
 * (plugins/public.ts exports coreServices, not these): the operator pool may
 * write `tenants`, which no plugin may.
 */
export const internalServices = {
  /** The operator pool (vigie_operator): a commune's status, the operator audit log. */
  operatorDb: createServiceRef<Knex>('core.operator-db'),
};
