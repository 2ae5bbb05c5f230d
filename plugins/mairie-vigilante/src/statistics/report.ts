// The statistics and the annual report, from every contribution to the core's
// statistics extension point (the core's alerts, tranquillite-vacances, …):
// neither this plugin nor a contributor imports the other. Counts only, and
// any count below 5 is shown as « < 5 » so that a small number never points at
// a household. Figures whose key ends in `Minutes` (medians, 90th percentiles)
// or `Percent` (a share) are measures, not counts of people: shown as they are.
import type { StatisticFigure, StatisticsSource, Trx } from '@vigie/platform/plugin';

export const MASK_BELOW = 5;
export const MASKED = '< 5';
const TIME_ZONE = 'Europe/Paris';

export interface ReportFigure {
  key: string;
  label: { fr: string; en: string };
  /** Null when masked. */
  value: number | null;
  display: string;
  /** Per month of the year, January first, masked the same way. */
  monthly: Array<{ value: number | null; display: string }>;
}

export interface ReportSection {
  id: string;
  label: { fr: string; en: string };
  figures: ReportFigure[];
}

export interface Report {
  year: number;
  from: Date;
  to: Date;
  sections: ReportSection[];
}

export function isMeasure(key: string): boolean {
  return key.endsWith('Minutes') || key.endsWith('Percent');
}

export function mask(key: string, value: number): { value: number | null; display: string } {
  if (key.endsWith('Minutes')) return { value, display: String(Math.round(value)) };
  if (key.endsWith('Percent'))
    return { value, display: `${value.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %` };
  if (value < MASK_BELOW) return { value: null, display: MASKED };
  return { value, display: String(value) };
}

/** Midnight in Paris on the first day of a month (month 12 is January of the next year). */
export function parisMonthStart(year: number, month0: number): Date {
  const utc = Date.UTC(year, month0, 1);
  const offset = (at: number) => {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName')!.value; // "GMT+01:00"
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  };
  // The offset at midnight Paris time is the one of an instant a few hours on either side; take it twice to settle.
  let t = utc - offset(utc);
  t = utc - offset(t);
  return new Date(t);
}

/** The sources shown for this commune: the core's, and those of the plugins it has enabled. */
export function sourcesFor(all: readonly StatisticsSource[], enabled: (pluginId: string) => boolean) {
  return all.filter((s) => !s.pluginId || enabled(s.pluginId));
}

/** A source that can compute several periods at once (the core's computeSeries, optional). */
type WithSeries = StatisticsSource & {
  computeSeries?(trx: Trx, periods: Array<{ from: Date; to: Date }>): Promise<StatisticFigure[][]>;
};

export async function buildReport(
  trx: Trx,
  sources: readonly StatisticsSource[],
  year: number,
): Promise<Report> {
  const from = parisMonthStart(year, 0);
  const to = parisMonthStart(year, 12);
  const months = Array.from({ length: 12 }, (_, m) => ({
    from: parisMonthStart(year, m),
    to: parisMonthStart(year, m + 1),
  }));
  const sections: ReportSection[] = [];
  for (const source of sources as readonly WithSeries[]) {
    // The year and its months in one go where the source can (one grouped query per figure), else one by one.
    let whole: StatisticFigure[];
    let perMonth: StatisticFigure[][];
    if (source.computeSeries)
      [whole = [], ...perMonth] = await source.computeSeries(trx, [{ from, to }, ...months]);
    else {
      whole = await source.compute(trx, { from, to });
      perMonth = [];
      for (const period of months) perMonth.push(await source.compute(trx, period));
    }
    sections.push({
      id: source.id,
      label: source.label,
      figures: whole.map((f) => ({
        key: f.key,
        label: f.label,
        ...mask(f.key, f.value),
        monthly: perMonth.map((figures) => mask(f.key, figures.find((x) => x.key === f.key)?.value ?? 0)),
      })),
    });
  }
  return { year, from, to, sections };
}

const csvCell = (s: string) => (/[";\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The figures as CSV (« ; » separated, as French spreadsheets expect), one row per figure, a column per month. */
export function reportCsv(r: Report): string {
  const monthNames = Array.from({ length: 12 }, (_, m) =>
    new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2000, m, 1)),
    ),
  );
  const lines = [['rubrique', 'indicateur', 'clé', `année ${r.year}`, ...monthNames].join(';')];
  for (const s of r.sections)
    for (const f of s.figures)
      lines.push(
        [s.label.fr, f.label.fr, `${s.id}.${f.key}`, f.display, ...f.monthly.map((m) => m.display)]
          .map(csvCell)
          .join(';'),
      );
  return `${lines.join('\r\n')}\r\n`;
}
