// REST routes of billing: the public price list (no commune, no login), the
// commune's own subscription for its mairie admins, and the Stripe webhook.
// They stay open while a commune is suspended: paying is how it comes back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { VigieError } from '../lib/errors.js';
import { requireTenant } from '../http/index.js';
import { portalUrl, type AccountPrincipal } from '../identity/index.js';
import { facturxPdf, invoiceView, listInvoices } from './invoices.js';
import { callStripe } from './stripe.js';
import { loadPriceList, publicPriceList, type PriceList } from './price-list.js';
import { createStripe, requireStripe } from './stripe.js';
import {
  setCancelAtTerm,
  subscribe,
  SubscribeBody,
  type BillingAccountRow,
  type SubscribeInput,
} from './subscribe.js';
import { handleStripeWebhook } from './webhook.js';
import { fail } from './errors.js';
import type { BillingDeps } from './apply.js';

export const MANAGE = 'billing.subscription.manage';
const OPEN_WHEN_SUSPENDED = { allowWhenSuspended: true } as const;

function account(req: FastifyRequest): AccountPrincipal {
  if (!req.principal) throw new VigieError('UNAUTHENTICATED');
  return req.principal;
}

export function subscriptionView(row: BillingAccountRow | undefined, list: PriceList) {
  const tier = list.tiers.find((t) => t.id === row?.tier);
  return {
    state: row?.state ?? 'none',
    tier: tier ?? null,
    vatRate: list.vatRate,
    siret: row?.siret ?? null,
    serviceCode: row?.service_code ?? null,
    commitmentNumber: row?.commitment_number ?? null,
    currentPeriodEnd: row?.current_period_end ? new Date(row.current_period_end).toISOString() : null,
    cancelAtPeriodEnd: row?.cancel_at_period_end ?? false,
    graceUntil: row?.grace_until ? new Date(row.grace_until).toISOString() : null,
  };
}

export async function billingRoutes(app: FastifyInstance): Promise<void> {
  const priceList = loadPriceList();
  const stripe = await createStripe(app.config.stripe);
  const tags = ['billing'];

  app.get(
    '/billing/prices',
    {
      config: { tenant: false },
      schema: { tags, summary: 'Grille tarifaire publique (HT et TTC, par strate de population)' },
    },
    async () => publicPriceList(priceList),
  );

  app.get(
    '/billing/subscription',
    {
      preHandler: app.requirePermission(MANAGE),
      schema: { tags, summary: "L'abonnement de la commune (administrateurs de la mairie)" },
    },
    async (req) => {
      const row = await app
        .db('billing_accounts')
        .where({ tenant_id: requireTenant(req).id })
        .first();
      return subscriptionView(row as BillingAccountRow | undefined, priceList);
    },
  );

  app.post<{ Body: SubscribeInput }>(
    '/billing/subscription',
    {
      config: OPEN_WHEN_SUSPENDED,
      preHandler: app.requirePermission(MANAGE),
      schema: {
        tags,
        summary: 'Souscrire : abonnement annuel, facture à 30 jours (mandat administratif)',
        body: SubscribeBody,
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const row = await subscribe(
        {
          db: app.db,
          stripe: requireStripe(stripe),
          priceList,
          returnUrl: `${portalUrl(app.config, tenant.slug)}/mairie/abonnement`,
        },
        tenant,
        req.body,
        { accountId: account(req).accountId, requestId: req.id },
      );
      // Card or SEPA: nothing is subscribed until Checkout completes (202 and where to go).
      if (row.checkoutUrl !== undefined)
        return reply.status(202).send({ ...subscriptionView(row, priceList), checkoutUrl: row.checkoutUrl });
      return reply.status(201).send(subscriptionView(row, priceList));
    },
  );

  app.post<{ Body: { cancelAtTerm: boolean } }>(
    '/billing/subscription/cancel-at-term',
    {
      config: OPEN_WHEN_SUSPENDED,
      preHandler: app.requirePermission(MANAGE),
      schema: {
        tags,
        summary: "Arrêter l'abonnement à l'échéance (ou revenir sur l'arrêt), en un clic",
        body: Type.Object({ cancelAtTerm: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const row = await setCancelAtTerm(
        { db: app.db, stripe: requireStripe(stripe) },
        requireTenant(req).id,
        req.body.cancelAtTerm,
        { accountId: account(req).accountId, requestId: req.id },
      );
      return subscriptionView(row, priceList);
    },
  );

  app.get(
    '/billing/invoices',
    {
      config: OPEN_WHEN_SUSPENDED,
      preHandler: app.requirePermission(MANAGE),
      schema: { tags, summary: 'Les factures de la commune, des plus récentes aux plus anciennes' },
    },
    async (req) => ({
      invoices: (await listInvoices(app.db, requireTenant(req).id)).map(invoiceView),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/billing/invoices/:id/facturx.pdf',
    {
      config: OPEN_WHEN_SUSPENDED,
      preHandler: app.requirePermission(MANAGE),
      schema: {
        tags,
        summary: 'La facture au format Factur-X (PDF/A-3 avec XML EN 16931), à déposer sur Chorus Pro',
        params: Type.Object({ id: Type.String({ pattern: '^in_[A-Za-z0-9]{1,64}$' }) }),
      },
    },
    async (req, reply) => {
      const { number, pdf } = await facturxPdf(app.db, requireTenant(req).id, req.params.id);
      const name = `facture-${number.replace(/[^A-Za-z0-9_-]+/g, '-')}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.post(
    '/billing/portal',
    {
      config: OPEN_WHEN_SUSPENDED,
      preHandler: app.requirePermission(MANAGE),
      schema: { tags, summary: 'Ouvre le portail client Stripe : factures, moyens de paiement, coordonnées' },
    },
    async (req) => {
      const tenant = requireTenant(req);
      const row = await app
        .db('billing_accounts')
        .where({ tenant_id: tenant.id })
        .first<{ stripe_customer_id: string | null } | undefined>('stripe_customer_id');
      if (!row?.stripe_customer_id) throw fail('BILLING_NOT_SUBSCRIBED');
      const session = await callStripe(() =>
        requireStripe(stripe).billingPortal.sessions.create({
          customer: row.stripe_customer_id!,
          return_url: `${portalUrl(app.config, tenant.slug)}/mairie/abonnement`,
          locale: 'fr',
        }),
      );
      return { url: session.url };
    },
  );

  const deps: BillingDeps & { webhookSecret: string | undefined } = {
    operatorDb: app.operatorDb,
    db: app.db,
    temporal: app.temporal,
    graceDays: app.config.billingGraceDays,
    log: app.log,
    webhookSecret: app.config.stripe?.webhookSecret,
  };
  await app.register(async (scope) => {
    // The signature covers the bytes Stripe sent: keep them as they came.
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 512 * 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/webhooks/stripe',
      {
        config: { tenant: false, csrf: false },
        schema: { tags: ['webhooks'], summary: 'Stripe events (signed)' },
      },
      async (req) => {
        const signature = req.headers['stripe-signature'];
        try {
          const o = await handleStripeWebhook(deps, {
            rawBody: typeof req.body === 'string' ? req.body : '',
            signature: typeof signature === 'string' ? signature : undefined,
            requestId: req.id,
          });
          return { ok: true, result: o.ignored ? 'ignored' : o.outcome, state: o.decision?.state ?? null };
        } catch (err) {
          if (err instanceof VigieError && err.code === 'STRIPE_SIGNATURE_INVALID')
            req.log.warn('stripe webhook with an invalid signature');
          throw err;
        }
      },
    );
  });
}
