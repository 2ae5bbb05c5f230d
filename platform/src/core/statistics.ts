// The statistics extension point: a plugin (or module) contributes counts for
// a period, and the consoles that show statistics and the annual report
// (mairie-vigilante) read every contribution, without either plugin importing
// the other. Counts only: a contribution never returns personal data.
import type { Knex } from 'knex';

export interface LocalizedLabel {
  fr: string;
  en: string;
}

/** One figure of a contribution, e.g. `{ key: 'absences', label: { fr: 'Absences déclarées', … }, value: 42 }`. */
export interface StatisticFigure {
  key: string;
  label: LocalizedLabel;
  value: number;
}

export interface StatisticsSource {
  /** Unique across the instance, e.g. `tranquillite-vacances`. */
  id: string;
  /** Heading of the section in the console and the annual report. */
  label: LocalizedLabel;
  /** The plugin whose enablement for the commune decides whether the section is shown (omit for a core module). */
  pluginId?: string;
  /** Counts for the commune of the transaction, over [from, to). */
  compute(trx: Knex.Transaction, period: { from: Date; to: Date }): Promise<StatisticFigure[]>;
  /**
   * Optional: the same for several periods at once (a year and its months),
   * one result per period in order, so a source can answer with one grouped
   * query instead of one per period. Readers fall back to `compute`.
   */
  computeSeries?(
    trx: Knex.Transaction,
    periods: Array<{ from: Date; to: Date }>,
  ): Promise<StatisticFigure[][]>;
}

export interface StatisticsExtension {
  contribute(source: StatisticsSource): void;
  sources(): readonly StatisticsSource[];
}

export function createStatistics(): StatisticsExtension {
  const sources: StatisticsSource[] = [];
  return {
    contribute(source) {
      if (sources.some((s) => s.id === source.id))
        throw new Error(`Statistics source ${source.id} is contributed twice`);
      sources.push(source);
    },
    sources: () => sources,
  };
}
