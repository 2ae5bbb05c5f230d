// The alerts module's contribution to the statistics and the annual report
// (core/statistics.ts): counts over the live tables for a period, never a
// second copy that could drift. Alerts raised in the period by severity,
// author, category, sector and outcome; time to acknowledgement and to closure
// (median and 90th percentile, minutes); deliveries per channel; SMS segments;
// members and verified households at the end of the period, and the coverage
// of the commune's BAN addresses. Counts only: no row, no name.
//
// A year and its twelve months are asked together (computeSeries): each figure
// family is one grouped query over all the periods, not thirteen, so the page
// stays under half a second on a commune with 50,000 alerts.
import type { Knex } from 'knex';
import type { StatisticFigure, StatisticsSource } from '../core/statistics.js';

type Trx = Knex.Transaction;
type Period = { from: Date; to: Date };
type Row = Record<string, unknown> & { i: number };

const n = (v: unknown) => Number(v ?? 0);

function fig(key: string, fr: string, en: string, value: unknown): StatisticFigure {
  return { key, label: { fr, en }, value: n(value) };
}

/** `periods(i, p_from, p_to)` as a CTE-ready VALUES list, bound as parameters. */
function periodsSql(periods: Period[]): { sql: string; bindings: Date[] } {
  return {
    sql: `periods (i, p_from, p_to) as (values ${periods.map((_, i) => `(${i}, ?::timestamptz, ?::timestamptz)`).join(', ')})`,
    bindings: periods.flatMap((p) => [p.from, p.to]),
  };
}

async function grouped(trx: Trx, periods: Period[], body: string): Promise<Row[]> {
  const p = periodsSql(periods);
  const r = await trx.raw(`with ${p.sql} ${body}`, p.bindings);
  return (r.rows as Row[]).map((x) => ({ ...x, i: Number(x.i) }));
}

interface CountRow {
  i: number;
  category_id: string;
  target_kind: string;
  target_sector_ids: string[];
  severity: string;
  author_kind: string;
  closure: string | null;
  open: boolean;
  n: string;
}

/** One scan for every count of alerts: grouped by what the figures split on, summed here. */
async function alertCounts(trx: Trx, periods: Period[]): Promise<CountRow[]> {
  return (await grouped(
    trx,
    periods,
    `select p.i, a.category_id, a.target_kind, a.target_sector_ids, a.severity, a.author_kind, a.closure,
            a.status <> 'closed' as open, count(*) as n
     from periods p join alerts a on a.created_at >= p.p_from and a.created_at < p.p_to
       and a.follows_alert_id is null
     group by 1, 2, 3, 4, 5, 6, 7, 8`,
  )) as unknown as CountRow[];
}

async function alertDelays(trx: Trx, periods: Period[]): Promise<Row[]> {
  return grouped(
    trx,
    periods,
    `select p.i,
       percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from a.acknowledged_at - a.created_at) / 60) as ack,
       percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from a.closed_at - a.created_at) / 60) as closed
     from periods p join alerts a on a.created_at >= p.p_from and a.created_at < p.p_to
       and a.follows_alert_id is null
     group by p.i`,
  );
}

async function alertFigures(trx: Trx, periods: Period[]): Promise<StatisticFigure[][]> {
  const [counts, delays] = [await alertCounts(trx, periods), await alertDelays(trx, periods)];
  const cats = (await trx('alert_categories')
    .orderBy(['position', 'slug'])
    .select('id', 'slug', 'label_fr', 'label_en')) as Array<{
    id: string;
    slug: string;
    label_fr: string;
    label_en: string;
  }>;
  const sectors = (await trx('sectors')
    .where('status', 'active')
    .orderBy('name')
    .select('id', 'name')) as Array<{
    id: string;
    name: string;
  }>;
  return periods.map((_, i) => {
    const mine = counts.filter((r) => r.i === i);
    const sum = (f: (r: CountRow) => boolean) => mine.filter(f).reduce((t, r) => t + n(r.n), 0);
    const d = delays.find((x) => x.i === i) as
      { ack?: number[] | null; closed?: number[] | null } | undefined;
    return [
      fig(
        'alerts',
        'Alertes reçues',
        'Alerts received',
        sum(() => true),
      ),
      fig(
        'alertsUrgent',
        'dont urgentes',
        'of which urgent',
        sum((r) => r.severity === 'urgent'),
      ),
      fig(
        'alertsImportant',
        'dont importantes',
        'of which important',
        sum((r) => r.severity === 'important'),
      ),
      fig(
        'alertsInfo',
        'dont informations',
        'of which information',
        sum((r) => r.severity === 'info'),
      ),
      fig(
        'fromResidents',
        'Données par des habitants',
        'Raised by residents',
        sum((r) => r.author_kind === 'resident'),
      ),
      fig(
        'fromStaff',
        'Données par la police ou la mairie',
        'Raised by the police or the mairie',
        sum((r) => r.author_kind === 'police' || r.author_kind === 'mairie'),
      ),
      fig(
        'closedSolved',
        'Clôturées : résolues',
        'Closed: solved',
        sum((r) => r.closure === 'solved'),
      ),
      fig(
        'closedUnfounded',
        'Clôturées : sans suite',
        'Closed: no further action',
        sum((r) => r.closure === 'unfounded'),
      ),
      fig(
        'stillOpen',
        'Pas encore clôturées',
        'Not closed yet',
        sum((r) => r.open),
      ),
      fig(
        'acknowledgedMedianMinutes',
        'Délai de prise en charge, médiane',
        'Time to acknowledge, median',
        d?.ack?.[0],
      ),
      fig(
        'acknowledgedP90Minutes',
        'Délai de prise en charge, 90e centile',
        'Time to acknowledge, 90th percentile',
        d?.ack?.[1],
      ),
      fig('closedMedianMinutes', 'Délai de clôture, médiane', 'Time to close, median', d?.closed?.[0]),
      fig(
        'closedP90Minutes',
        'Délai de clôture, 90e centile',
        'Time to close, 90th percentile',
        d?.closed?.[1],
      ),
      ...cats.map((c) =>
        fig(
          `category.${c.slug}`,
          `Catégorie : ${c.label_fr}`,
          `Category: ${c.label_en}`,
          sum((r) => r.category_id === c.id),
        ),
      ),
      ...sectors.map((s) =>
        fig(
          `sector.${s.id}`,
          `Secteur : ${s.name}`,
          `Sector: ${s.name}`,
          sum((r) => r.target_kind !== 'commune' && r.target_sector_ids.includes(s.id)),
        ),
      ),
      fig(
        'sector.commune',
        'Toute la commune',
        'The whole commune',
        sum((r) => r.target_kind === 'commune'),
      ),
    ];
  });
}

const CHANNELS = [
  ['sms', 'SMS', 'SMS'],
  ['email', 'e-mail', 'email'],
  ['in_app', 'notification dans l’application', 'in-app notification'],
  ['push', 'notification push', 'push notification'],
  ['voice', 'appel vocal', 'voice call'],
] as const;

async function deliveryFigures(trx: Trx, periods: Period[]): Promise<StatisticFigure[][]> {
  const rows = await grouped(
    trx,
    periods,
    `select p.i, d.channel,
       count(*) filter (where d.status in ('delivered', 'acknowledged', 'sent')) as ok,
       count(*) filter (where d.status in ('failed', 'undelivered', 'bounced')) as failed,
       coalesce(sum(d.segments) filter (where d.status not in ('pending', 'held', 'skipped')), 0) as segments
     from periods p join deliveries d on d.queued_at >= p.p_from and d.queued_at < p.p_to
     group by p.i, d.channel`,
  );
  return periods.map((_, i) => {
    const of = (c: string) => rows.find((r) => r.i === i && r.channel === c);
    return [
      ...CHANNELS.flatMap(([c, fr, en]) => [
        fig(`delivered.${c}`, `Messages remis : ${fr}`, `Messages delivered: ${en}`, of(c)?.ok),
        fig(`failed.${c}`, `Messages en échec : ${fr}`, `Messages failed: ${en}`, of(c)?.failed),
      ]),
      fig('smsSegments', 'Segments SMS envoyés', 'SMS segments sent', of('sms')?.segments),
    ];
  });
}

async function memberFigures(trx: Trx, periods: Period[]): Promise<StatisticFigure[][]> {
  // At the end of each period: residences activated before it and not ended before it (an account has one
  // active residence at a time, so members are residences), and the addresses one of them was active at.
  // One scan each, a filter per period, instead of joining every period to every residence.
  const ends = periods.map((p) => p.to);
  const members = ends.map(
    (_, k) =>
      `count(*) filter (where activated_at < ?::timestamptz and (ended_at is null or ended_at >= ?::timestamptz)) as m${k}`,
  );
  const m = (await trx('residences')
    .whereNotNull('activated_at')
    .select(
      trx.raw(
        members.join(', '),
        ends.flatMap((e) => [e, e]),
      ),
    )
    .first()) as Record<string, string>;
  // An address counts from its first activation to its last end (or for good): a vacancy between two
  // residents inside one period is not told apart, which a yearly report can bear.
  const households = ends.map(
    (_, k) =>
      `count(*) filter (where first_at < ?::timestamptz and (last_end is null or last_end >= ?::timestamptz)) as h${k}`,
  );
  const h = (await trx
    .from(
      trx('residences')
        .whereNotNull('activated_at')
        .whereNotNull('address_id')
        .groupBy('address_id')
        .select(
          trx.raw('min(activated_at) as first_at'),
          trx.raw('case when bool_or(ended_at is null) then null else max(ended_at) end as last_end'),
        )
        .as('a'),
    )
    .select(
      trx.raw(
        households.join(', '),
        ends.flatMap((e) => [e, e]),
      ),
    )
    .first()) as Record<string, string>;
  const addresses = n(((await trx('addresses').count('* as n').first()) as { n: string }).n);
  return periods.map((_, i) => {
    const households = n(h[`h${i}`]);
    const coverage = addresses ? Math.round((1000 * households) / addresses) / 10 : 0;
    return [
      fig(
        'members',
        'Habitants inscrits et vérifiés (fin de période)',
        'Verified residents (end of period)',
        m[`m${i}`],
      ),
      fig(
        'households',
        'Foyers vérifiés (fin de période)',
        'Verified households (end of period)',
        households,
      ),
      fig(
        'banAddresses',
        'Adresses de la Base Adresse Nationale',
        'Addresses in the national address base',
        addresses,
      ),
      // A share, not a count of people (`…Percent`): the report does not mask it.
      fig('coveragePercent', 'Couverture des adresses (%)', 'Address coverage (%)', coverage),
    ];
  });
}

async function series(trx: Trx, periods: Period[]): Promise<StatisticFigure[][]> {
  const parts = [
    await alertFigures(trx, periods),
    await deliveryFigures(trx, periods),
    await memberFigures(trx, periods),
  ];
  return periods.map((_, i) => parts.flatMap((p) => p[i]!));
}

export const alertsStatistics: StatisticsSource = {
  id: 'alerts',
  label: { fr: 'Alertes, diffusion et participation', en: 'Alerts, delivery and participation' },
  async compute(trx, period) {
    return (await series(trx, [period]))[0]!;
  },
  computeSeries: series,
};
