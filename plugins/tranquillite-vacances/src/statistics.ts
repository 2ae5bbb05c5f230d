// The plugin's counts for the statistics and the annual report (mairie-vigilante
// reads every contribution through the core's extension point; neither plugin
// imports the other). From tv_counts: anonymous, and kept after the retention
// sweep has deleted the declarations.
import type { StatisticsSource } from '@vigie/platform/plugin';
import { PLUGIN_ID } from './settings.js';

export const statisticsSource: StatisticsSource = {
  id: PLUGIN_ID,
  pluginId: PLUGIN_ID,
  label: { fr: 'Opération Tranquillité Vacances', en: 'Holiday home watch (Tranquillité Vacances)' },
  async compute(trx, { from, to }) {
    const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
    const r = (await trx('tv_counts')
      .where('day', '>=', day(from))
      .where('day', '<', day(to))
      .sum({ absences: 'absences', visits: 'visits', anomalies: 'anomalies' })
      .first()) as { absences: string | null; visits: string | null; anomalies: string | null } | undefined;
    return [
      {
        key: 'absences',
        label: { fr: 'Absences déclarées', en: 'Absences declared' },
        value: Number(r?.absences ?? 0),
      },
      {
        key: 'visits',
        label: { fr: 'Passages de la police', en: 'Police visits' },
        value: Number(r?.visits ?? 0),
      },
      {
        key: 'anomalies',
        label: { fr: 'Anomalies constatées', en: 'Anomalies found' },
        value: Number(r?.anomalies ?? 0),
      },
    ];
  },
};
