// @vigie/platform/plugin: the only platform module a plugin may import.
import type { FastifyPluginAsync } from 'fastify';
import type { Knex } from 'knex';
import type { IResolvers, MercuriusLoaders } from 'mercurius';
// The Fastify and mercurius augmentations (app.db, app.services, req.tenant,
// req.principal, the GraphQL context) must be in scope wherever a plugin is
// type-checked, or its resolvers and routes would see bare Fastify types.
import type {} from '../server/index.js';
import type {} from '../http/index.js';

export {
  definePlugin,
  type PluginDefinition,
  type VigiePlugin,
  type PermissionDef,
  type PluginGraphql,
  type ActivityFn,
  type PluginSettings,
  type PersonalDataKind,
  type DisplayNames,
  type MembershipEndedEvent,
  type MembershipEndedHook,
  type DemoResident,
  type DemoSeedDeps,
  type TaskQueueDef,
  type ScheduleDef,
} from './contract.js';
export type { RetentionTargetImpl } from '../retention/index.js';
export type { ActivityDeps, FileAccess } from '../temporal/index.js';
export {
  createExtensionPoint,
  createServiceRef,
  type Ref,
  type RegisterEnv,
  type InitRegistration,
} from '../core/lifecycle.js';
export { coreExtensions, coreServices } from '../core/refs.js';
export type {
  StatisticsExtension,
  StatisticsSource,
  StatisticFigure,
  LocalizedLabel,
} from '../core/statistics.js';
export type { SmsReplyHandler, SmsReplyClaim, SmsReplyInput } from '../core/sms-replies.js';
export type { PhoneCallHandler, PhoneCallOutcome, PhoneCallSettled } from '../core/phone-calls.js';
export {
  VigieError,
  defineErrors,
  isVigieError,
  type ErrorSpec,
  type LocalizedText,
  type DeclaredErrors,
} from '../lib/errors.js';
/** Codes of the core's alert service, for a plugin that refuses what the service would refuse. */
export { alertsErrors } from '../alerts/index.js';
/** The kinds of proof of address an agent may accept at the counter (only the kind is kept). */
export { COUNTER_PROOF_KINDS, type CounterProofKind } from '../residents/index.js';
export { withTenant, tenantTable, tenantForeign, enableTenantRls, type Trx } from '../db/index.js';
export type {
  PlatformServices,
  Community,
  CommunityMember,
  NotifyInput,
  PhoneCallRequest,
  PhoneCallStatus,
  AuditRecord,
  AuditFilter,
  PlatformAlert,
  AlertCategory,
  AlertSeverity,
  RaiseAlertRequest,
  CounterRegistrationRequest,
  CounterRegistrationDone,
} from './api.js';
export type { VigieContext } from '../graphql/index.js';
export type { AccountPrincipal, Role, Scope } from '../identity/index.js';
export type { TenantContext } from '../tenants/index.js';

/** Resolvers of a plugin's GraphQL extension; `ctx` is the VigieContext. */
export type PluginResolvers = IResolvers;
/** Mercurius loaders (batched per request): one per relation field, against N+1 queries. */
export type PluginLoaders = MercuriusLoaders;
/** A plugin's routes, mounted under /p/<id> and answering 404 for communes without the plugin. */
export type PluginRoutes = FastifyPluginAsync;
/** The database handle of a route (`app.db`) or an activity (`deps.db`): pass it to withTenant. */
export type Database = Knex;
