// The operator API: what `vigie tenants …` does, over HTTP, for platform
// operators (their own login, password and TOTP, see identity/operators.ts).
// Every route goes through the same service functions as the CLI.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigieError } from '../lib/errors.js';
import { withTenant } from '../db/index.js';
import type { Actor } from './audit.js';
import { applyTenant, type ApplyDeps } from './apply.js';
import { inviteMairieAdmin } from './admins.js';
import { channelMessenger, type AccountMessenger } from '../identity/index.js';
import { disablePlugin, enablePlugin } from './plugins.js';
import { EMAIL_PATTERN, TenantSpec } from './schema.js';
import { findTenantId, listTenants, reactivateTenant, suspendTenant } from './status.js';
import { assertValidTenantSpec } from './validate.js';
import { installedGeoImports } from './geo-hook.js';
import { geoServices } from '../geo/index.js';
import { operatorConsoleRoutes } from './console-routes.js';

const TenantSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  inseeCode: Type.String(),
  postalCodes: Type.Array(Type.String()),
  status: Type.String({ enum: ['trial', 'active', 'suspended'] }),
  domains: Type.Array(Type.String()),
  plugins: Type.Array(Type.String(), { description: 'Enabled plugin ids' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const Plan = Type.Object({
  slug: Type.String(),
  tenantId: Type.Optional(Type.String()),
  action: Type.String({ enum: ['create', 'update', 'none'] }),
  changes: Type.Array(
    Type.Object({
      field: Type.String(),
      from: Type.Optional(Type.Unknown()),
      to: Type.Optional(Type.Unknown()),
    }),
  ),
  notes: Type.Array(Type.String()),
  firstAdmin: Type.String(),
  applied: Type.Boolean(),
});

const StatusChange = Type.Object({
  slug: Type.String(),
  status: Type.String(),
  previousStatus: Type.String(),
  changed: Type.Boolean(),
});
const PluginChange = Type.Object({
  pluginId: Type.String(),
  changed: Type.Boolean(),
  state: Type.Object({ enabled: Type.Boolean(), settings: Type.Record(Type.String(), Type.Unknown()) }),
});

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 63 }) });
const PluginParams = Type.Object({
  slug: Type.String({ maxLength: 63 }),
  pluginId: Type.String({ maxLength: 41 }),
});
const SuspendBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const ReactivateBody = Type.Object(
  { status: Type.Optional(Type.String({ enum: ['trial', 'active'] })) },
  { additionalProperties: false },
);
const EnableBody = Type.Object(
  { settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);
const InviteBody = Type.Object(
  {
    email: Type.String({ maxLength: 254, pattern: EMAIL_PATTERN }),
    displayName: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
  },
  { additionalProperties: false },
);

const ERROR = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
  requestId: Type.Optional(Type.String()),
});
const errors = { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR };

function actorOf(req: FastifyRequest): Actor {
  if (!req.operator) throw new VigieError('UNAUTHENTICATED');
  return { type: 'operator', id: req.operator.operatorId };
}

export async function operatorCommuneRoutes(app: FastifyInstance): Promise<void> {
  // The notifications module registers after this one: its channels are looked up on use.
  let messenger: AccountMessenger | undefined;
  const deps = (): ApplyDeps => ({
    operatorDb: app.operatorDb,
    db: app.db,
    config: app.config,
    plugins: app.plugins,
    geo: installedGeoImports(app.vigie.get(geoServices.hooks)),
    messenger: (messenger ??= channelMessenger({ channels: app.notifications.channels, log: app.log })),
  });
  const common = { config: { tenant: false as const }, preHandler: app.requireOperator };
  const tags = ['operators'];
  // Suspensions and plugin switches must reach the portal now, not when the host cache expires.
  const changed = () => app.tenants.invalidate();

  app.get(
    '/operator/communes',
    {
      ...common,
      schema: { tags, summary: 'List communes', response: { 200: Type.Array(TenantSummary), ...errors } },
    },
    async () => listTenants(app.operatorDb),
  );

  app.post<{ Body: unknown; Querystring: { dryRun?: string } }>(
    '/operator/communes',
    {
      ...common,
      schema: {
        tags,
        summary:
          'Create a commune (same definition and checks as tenants/<slug>/tenant.yaml; the logo as a data: URL)',
        body: TenantSpec,
        querystring: Type.Object({
          dryRun: Type.Optional(
            Type.Boolean({ description: 'true: report what would change, write nothing' }),
          ),
        }),
        response: { 200: Plan, 201: Plan, ...errors },
      },
      // The body is checked by the same validator as the YAML (all issues at once,
      // unknown keys refused, INSEE and postal codes checked), not by Ajv, which
      // would strip unknown keys silently.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (req, reply) => {
      const definition = assertValidTenantSpec(req.body, { plugins: app.plugins });
      const dryRun = parseFlag(req.query.dryRun);
      const plan = await applyTenant(
        deps(),
        { definition },
        { actor: actorOf(req), mustCreate: true, dryRun, requestId: req.id },
      );
      changed();
      return reply.status(dryRun ? 200 : 201).send(plan);
    },
  );

  app.post<{ Params: Static<typeof SlugParams>; Body: Static<typeof SuspendBody> }>(
    '/operator/communes/:slug/suspend',
    {
      ...common,
      schema: {
        tags,
        summary: 'Suspend a commune (its portal becomes read-only)',
        params: SlugParams,
        body: SuspendBody,
        response: { 200: StatusChange, ...errors },
      },
    },
    async (req) => {
      const r = await suspendTenant(app.operatorDb, req.params.slug, actorOf(req), req.body?.reason, req.id);
      changed();
      return r;
    },
  );

  app.post<{ Params: Static<typeof SlugParams>; Body: Static<typeof ReactivateBody> }>(
    '/operator/communes/:slug/reactivate',
    {
      ...common,
      schema: {
        tags,
        summary: 'Reactivate a suspended commune',
        params: SlugParams,
        body: ReactivateBody,
        response: { 200: StatusChange, ...errors },
      },
    },
    async (req) => {
      const r = await reactivateTenant(
        app.operatorDb,
        req.params.slug,
        actorOf(req),
        req.body?.status as 'trial' | 'active' | undefined,
        req.id,
      );
      changed();
      return r;
    },
  );

  app.put<{ Params: Static<typeof PluginParams>; Body: Static<typeof EnableBody> }>(
    '/operator/communes/:slug/plugins/:pluginId',
    {
      ...common,
      schema: {
        tags,
        summary: 'Enable a plugin for a commune, or change its settings',
        params: PluginParams,
        body: EnableBody,
        response: { 200: PluginChange, ...errors },
      },
    },
    async (req) => {
      const tenantId = await findTenantId(app.operatorDb, req.params.slug);
      const r = await withTenant(app.operatorDb, tenantId, (trx) =>
        enablePlugin(
          trx,
          { plugins: app.plugins, actor: actorOf(req), requestId: req.id },
          tenantId,
          req.params.pluginId,
          req.body?.settings,
        ),
      );
      changed();
      return r;
    },
  );

  app.delete<{ Params: Static<typeof PluginParams> }>(
    '/operator/communes/:slug/plugins/:pluginId',
    {
      ...common,
      schema: {
        tags,
        summary: 'Disable a plugin for a commune (its settings are kept)',
        params: PluginParams,
        response: { 200: PluginChange, ...errors },
      },
    },
    async (req) => {
      const tenantId = await findTenantId(app.operatorDb, req.params.slug);
      const r = await withTenant(app.operatorDb, tenantId, (trx) =>
        disablePlugin(
          trx,
          { plugins: app.plugins, actor: actorOf(req), requestId: req.id },
          tenantId,
          req.params.pluginId,
        ),
      );
      changed();
      return r;
    },
  );

  app.post<{ Params: Static<typeof SlugParams>; Body: Static<typeof InviteBody> }>(
    '/operator/communes/:slug/admin-invitations',
    {
      ...common,
      schema: {
        tags,
        summary:
          "Invite a commune's mairie admin (creates the account with the mairie_admin role and sends a link to choose a password)",
        params: SlugParams,
        body: InviteBody,
        response: {
          200: Type.Object({ outcome: Type.String({ enum: ['exists', 'granted', 'invited'] }) }),
          ...errors,
        },
      },
    },
    async (req) => {
      const tenantId = await findTenantId(app.operatorDb, req.params.slug);
      const name = await app.operatorDb('tenants').where({ id: tenantId }).first('name');
      const admin = {
        email: req.body.email.toLowerCase(),
        displayName: req.body.displayName ?? `Mairie de ${name.name as string}`.slice(0, 40),
      };
      return {
        outcome: await inviteMairieAdmin(
          deps(),
          { id: tenantId, slug: req.params.slug },
          admin,
          actorOf(req),
          req.id,
        ),
      };
    },
  );

  await operatorConsoleRoutes(app, deps);
}

function parseFlag(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new VigieError('VALIDATION_FAILED', 'dryRun attend true ou false.');
}
