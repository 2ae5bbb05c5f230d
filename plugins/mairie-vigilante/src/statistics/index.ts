// Statistics and the annual report: GraphQL for the console's page, and the
// report's downloads (HTML, CSV, PDF) under /p/mairie-vigilante. Every figure
// comes from a contribution to the core's statistics extension point, computed
// by SQL over the live tables in the commune's transaction: no second copy of
// the data that could drift.
import {
  coreExtensions,
  withTenant,
  type PluginResolvers,
  type PluginRoutes,
  type StatisticsSource,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { P } from '../permissions.js';
import { PLUGIN_ID } from '../context.js';
import { buildReport, isMeasure, reportCsv, sourcesFor, type Report } from './report.js';
import { reportHtml } from './html.js';
import { renderPdf } from './pdf.js';

export const FIRST_YEAR = 2020;

export const statisticsTypeDefs = /* GraphQL */ `
  "One figure for a month (null value: masked, fewer than 5)."
  type StatisticsCell {
    value: Int
    display: String!
  }

  type StatisticsFigure {
    key: String!
    label: String!
    labelEn: String!
    "Null when masked (a count below 5, shown « < 5 »)."
    value: Int
    display: String!
    "A measure (minutes of a median or 90th percentile, a percentage) rather than a count: never masked."
    measure: Boolean!
    "January to December."
    monthly: [StatisticsCell!]!
  }

  type StatisticsSection {
    id: ID!
    label: String!
    labelEn: String!
    figures: [StatisticsFigure!]!
  }

  "Counts only, for a calendar year in Paris time; any count below 5 is masked."
  type ConsoleStatistics {
    year: Int!
    sections: [StatisticsSection!]!
    "The annual report: an accessible HTML page, its figures as CSV, and a PDF."
    htmlUrl: String!
    csvUrl: String!
    pdfUrl: String!
  }

  extend type Query {
    "Statistics and the annual report of the commune for a year (from 2020 to the current one)."
    consoleStatistics(year: Int!): ConsoleStatistics!
  }
`;

export function checkYear(year: number, now = new Date()): number {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > now.getUTCFullYear())
    throw fail('STATISTICS_YEAR_INVALID');
  return year;
}

function sourcesOf(all: readonly StatisticsSource[], plugins: Map<string, unknown>) {
  return sourcesFor(all, (id) => plugins.has(id));
}

function shape(r: Report) {
  const base = `/p/${PLUGIN_ID}/annual-report/${r.year}`;
  return {
    year: r.year,
    sections: r.sections.map((s) => ({
      id: s.id,
      label: s.label.fr,
      labelEn: s.label.en,
      figures: s.figures.map((f) => ({
        key: f.key,
        label: f.label.fr,
        labelEn: f.label.en,
        value: f.value === null ? null : Math.round(f.value),
        display: f.display,
        measure: isMeasure(f.key),
        monthly: f.monthly.map((m) => ({
          value: m.value === null ? null : Math.round(m.value),
          display: m.display,
        })),
      })),
    })),
    htmlUrl: `${base}/html`,
    csvUrl: `${base}/csv`,
    pdfUrl: `${base}/pdf`,
  };
}

const resolvers: PluginResolvers = {
  Query: {
    consoleStatistics: (_r, { year }: { year: number }, ctx: VigieContext) => {
      ctx.authorize(P.statistics);
      checkYear(year);
      const tenant = ctx.requireTenant();
      const sources = sourcesOf(ctx.services.get(coreExtensions.statistics).sources(), tenant.plugins);
      return ctx.tx(async (trx: Trx) => shape(await buildReport(trx, sources, year)));
    },
  },
};

const FORMATS = {
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
} as const;

export const statisticsRoutes: PluginRoutes = async (app) => {
  app.get<{ Params: { year: string; format: string } }>(
    '/annual-report/:year/:format',
    {
      preHandler: app.requirePermission(P.statistics),
      schema: {
        tags: [PLUGIN_ID],
        summary: 'Le rapport annuel de la commune (html, csv ou pdf) : des chiffres seulement, < 5 masqués',
        params: {
          type: 'object',
          properties: {
            year: { type: 'string', pattern: '^[0-9]{4}$' },
            format: { enum: ['html', 'csv', 'pdf'] },
          },
          required: ['year', 'format'],
        },
      },
    },
    async (req, reply) => {
      const tenant = req.tenant!;
      const year = checkYear(Number(req.params.year));
      const format = req.params.format as keyof typeof FORMATS;
      const sources = sourcesOf(app.services.get(coreExtensions.statistics).sources(), tenant.plugins);
      const report = await withTenant(app.db, tenant.id, async (trx) => {
        const r = await buildReport(trx, sources, year);
        await app.services.audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: req.principal!.accountId },
          action: `${PLUGIN_ID}.report.exported`,
          meta: { year, format },
          requestId: req.id,
        });
        return r;
      });
      const commune = String((tenant.branding as { displayName?: unknown }).displayName ?? tenant.name);
      const html = reportHtml(report, commune);
      const body =
        format === 'csv' ? `\ufeff${reportCsv(report)}` : format === 'pdf' ? await renderPdf(html) : html;
      const name = `rapport-annuel-${tenant.slug}-${year}.${format}`;
      return reply
        .type(FORMATS[format])
        .header('content-disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="${name}"`)
        .send(body);
    },
  );
};

export const statistics = { typeDefs: statisticsTypeDefs, resolvers };
