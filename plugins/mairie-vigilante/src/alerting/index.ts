// Alerting down: the core answers what an alert would do before it is sent
// (alertPreview: recipients per channel, households, SMS segments and the
// month's budget); the console adds what it costs the commune, at the price
// per segment of its settings: messages × segments per message × price.
import type { PluginResolvers, VigieContext } from '@vigie/platform/plugin';
import { PLUGIN_ID, record } from '../context.js';
import { fail } from '../errors.js';
import { P } from '../permissions.js';
import { settingsFrom } from '../settings.js';

export const alertingTypeDefs = /* GraphQL */ `
  "What the SMS of an alert costs the commune, at its price per segment (mairie-vigilante settings)."
  type AlertSmsCost {
    "Euros per segment."
    pricePerSegment: Float!
    "messages × segments per message × price, in euros."
    total: Float!
    "What the segments left this month are worth, in euros (null without a budget)."
    budgetLeft: Float
  }

  "A commune's starting text for alerts of one category."
  type AlertTemplate {
    category: String!
    text: String!
  }

  extend type Query {
    "Console: the commune's alert templates, one per category."
    alertTemplates: [AlertTemplate!]!
  }

  extend type Mutation {
    "Console: sets the template of a category (an empty text removes it); audited."
    saveAlertTemplate(
      category: String! @length(max: 100)
      text: String! @length(max: 1000)
    ): [AlertTemplate!]!
  }

  extend type AlertPreview {
    "Console: the SMS cost of this alert."
    cost: AlertSmsCost!
  }
`;

interface Preview {
  sms: { segments: number; segmentsLeft: number | null };
}

const cents = (v: number) => Math.round(v * 100) / 100;

async function templates(ctx: VigieContext) {
  return ctx.tx(async (trx) =>
    (
      (await trx('mv_alert_templates').orderBy('category_slug').select('category_slug', 'text')) as Array<{
        category_slug: string;
        text: string;
      }>
    ).map((r) => ({ category: r.category_slug, text: r.text })),
  );
}

const resolvers: PluginResolvers = {
  Query: {
    alertTemplates: (_r, _a, ctx) => {
      ctx.authorize('alerts.alert.raise_any');
      return templates(ctx);
    },
  },
  Mutation: {
    saveAlertTemplate: async (_r, a: { category: string; text: string }, ctx) => {
      ctx.authorize(P.templates);
      const me = ctx.requireAccount();
      const text = a.text.trim();
      await ctx.tx(async (trx) => {
        const known = (await ctx.services.alerts.categories(trx, me.tenantId, { includeRetired: true })).some(
          (c) => c.slug === a.category,
        );
        if (!known) throw fail('CONSOLE_CATEGORY_UNKNOWN');
        if (!text) await trx('mv_alert_templates').where({ category_slug: a.category }).delete();
        else
          await trx('mv_alert_templates')
            .insert({ tenant_id: me.tenantId, category_slug: a.category, text, updated_by: me.accountId })
            .onConflict(['tenant_id', 'category_slug'])
            .merge({ text, updated_by: me.accountId, updated_at: trx.fn.now() });
        await record(ctx, trx, {
          action: 'template.saved',
          target: { type: 'alert_category', id: a.category },
          meta: { removed: !text },
        });
      });
      return templates(ctx);
    },
  },
  AlertPreview: {
    cost: (p: Preview, _a: unknown, ctx: VigieContext) => {
      const price = settingsFrom(ctx.requireTenant().plugins.get(PLUGIN_ID)).smsPricePerSegment;
      return {
        pricePerSegment: price,
        total: cents(p.sms.segments * price),
        budgetLeft: p.sms.segmentsLeft === null ? null : cents(p.sms.segmentsLeft * price),
      };
    },
  },
};

export const alerting = { typeDefs: alertingTypeDefs, resolvers };
