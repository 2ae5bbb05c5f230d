// The operator console's routes, next to the operator API of routes.ts and
// behind the same operator login (password and TOTP): the session, the
// communes with their figures, the transitions audit, onboarding from an INSEE
// code (official data, the BAN file checked and sectors proposed, then the
// commune created) and the export of a commune as tenants/<slug>/.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigieError } from '../lib/errors.js';
import type { Actor } from './audit.js';
import type { ApplyDeps } from './apply.js';
import { lookupCommune, onboardCommune, proposeFromFile } from './onboarding.js';
import { communesOverview, platformHealth, transitions } from './overview.js';
import { exportTenant, tarOf } from './export.js';
import { MAX_PROPOSED } from '../geo/index.js';
import { fail } from './errors.js';
import { portalUrl } from '../identity/index.js';

/** A 10,000-inhabitant commune's BAN file is about 1 MB; a city's, tens. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const InseeParams = Type.Object({ inseeCode: Type.String({ maxLength: 5, pattern: '^[0-9AB]{5}$' }) });
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 63, pattern: '^[a-z0-9-]+$' }) });
const ProposeQuery = Type.Object({
  inseeCode: Type.String({ maxLength: 5, pattern: '^[0-9AB]{5}$' }),
  sectors: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PROPOSED })),
});
const AuditQuery = Type.Object({
  slug: Type.Optional(Type.String({ maxLength: 63 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
const OnboardBody = Type.Object(
  {
    inseeCode: Type.String({ maxLength: 5 }),
    slug: Type.Optional(Type.String({ maxLength: 63 })),
    displayName: Type.Optional(Type.String({ maxLength: 80 })),
    police: Type.Object(
      {
        phone: Type.String({ maxLength: 30 }),
        email: Type.String({ maxLength: 254 }),
        street: Type.String({ maxLength: 120 }),
        hours: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    addressesCsv: Type.String({ maxLength: MAX_FILE_BYTES }),
    sectors: Type.Array(
      Type.Object({
        key: Type.String({ maxLength: 60 }),
        name: Type.String({ minLength: 1, maxLength: 120 }),
        geometry: Type.Unknown(),
      }),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

function actorOf(req: FastifyRequest): Actor {
  if (!req.operator) throw new VigieError('UNAUTHENTICATED');
  return { type: 'operator', id: req.operator.operatorId };
}

export async function operatorConsoleRoutes(app: FastifyInstance, deps: () => ApplyDeps): Promise<void> {
  const common = { config: { tenant: false as const }, preHandler: app.requireOperator };
  // Routes that take a whole commune's file check the operator before the body is read, not after:
  // otherwise anyone could make the server parse tens of megabytes before being refused.
  const upload = { onRequest: app.requireOperator };
  const tags = ['operators'];

  app.get(
    '/operator/session',
    { ...common, schema: { tags, summary: 'The signed-in operator (and the CSRF token of the session)' } },
    async (req) => ({ email: req.operator!.email, csrfToken: req.operator!.csrfToken }),
  );

  app.get(
    '/operator/overview',
    {
      ...common,
      schema: {
        tags,
        summary: 'Every commune with its status, plan, SMS this month, members, last alert and health',
      },
    },
    async () => communesOverview({ operatorDb: app.operatorDb, db: app.db, temporal: app.temporal }),
  );

  app.get(
    '/operator/health',
    {
      ...common,
      schema: {
        tags,
        summary: 'Platform-wide health: webhook requests refused in the last 7 days that named no commune',
      },
    },
    async () => platformHealth(app.operatorDb),
  );

  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/operator/transitions',
    {
      ...common,
      schema: { tags, summary: 'Status and billing transitions, newest first', querystring: AuditQuery },
    },
    async (req) => transitions(app.operatorDb, req.query),
  );

  app.get<{ Params: Static<typeof InseeParams> }>(
    '/operator/onboarding/communes/:inseeCode',
    {
      ...common,
      schema: {
        tags,
        summary: 'Official name, postal codes and population of a commune (INSEE COG, offline)',
        params: InseeParams,
      },
    },
    async (req) => {
      const info = lookupCommune(req.params.inseeCode);
      const taken = await app
        .operatorDb('tenants')
        .where({ insee_code: info.inseeCode })
        .first<{ slug: string } | undefined>('slug');
      if (taken)
        throw fail(
          'TENANT_EXISTS',
          `Le code INSEE ${info.inseeCode} est déjà celui de la commune « ${taken.slug} ».`,
          {
            slug: taken.slug,
          },
        );
      return info;
    },
  );

  await app.register(async (scope) => {
    // The BAN file as it was uploaded: its bytes are decoded strictly (UTF-8) by the checker.
    scope.addContentTypeParser(
      ['text/csv', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post<{ Querystring: Static<typeof ProposeQuery>; Body: Buffer }>(
      '/operator/onboarding/addresses',
      {
        ...upload,
        bodyLimit: MAX_FILE_BYTES,
        // The body is bytes, checked line by line by the BAN checker, not a structure to walk.
        config: { tenant: false as const, ownInputRules: true },
        schema: {
          tags,
          summary:
            "Check a commune's BAN CSV or Base Adresse Locale (BAL 1.4; every line, nothing stored) and propose sectors from its addresses",
          querystring: ProposeQuery,
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body))
          throw new VigieError('VALIDATION_FAILED', 'Le fichier BAN est attendu en text/csv.');
        const t0 = performance.now();
        const r = await proposeFromFile(req.body, req.query.inseeCode, req.query.sectors);
        return { ...r, ms: Math.round(performance.now() - t0) };
      },
    );
  });

  app.post<{ Body: Static<typeof OnboardBody> }>(
    '/operator/onboarding',
    {
      ...upload,
      bodyLimit: MAX_FILE_BYTES * 2,
      config: { tenant: false as const, maxStringLength: MAX_FILE_BYTES },
      schema: {
        tags,
        summary: 'Create a commune from its INSEE code, its BAN file and the accepted sectors',
        body: OnboardBody,
      },
    },
    async (req, reply) => {
      const t0 = performance.now();
      const r = await onboardCommune(deps(), req.body, { actor: actorOf(req), requestId: req.id });
      app.tenants.invalidate();
      return reply.status(201).send({
        slug: r.slug,
        name: r.name,
        addresses: r.addresses,
        sectors: r.sectors,
        portalUrl: portalUrl(app.config, r.slug),
        geo: r.plan.geo,
        ms: Math.round(performance.now() - t0),
      });
    },
  );

  app.get<{ Params: Static<typeof SlugParams> }>(
    '/operator/communes/:slug/export',
    {
      ...common,
      schema: {
        tags,
        summary: 'The commune as tenants/<slug>/ (tenant.yaml, addresses.csv, sectors.geojson), as a tar',
        params: SlugParams,
      },
    },
    async (req, reply) => {
      const exp = await exportTenant({ operatorDb: app.operatorDb, db: app.db }, req.params.slug);
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="${exp.slug}.tar"`)
        .send(tarOf(exp));
    },
  );
}
