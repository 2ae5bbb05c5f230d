// The register's counts for the statistics and the annual report, through the
// core's extension point: people in the register, plans activated, and the
// outcomes of the rounds. Counts only, never a name.
import type { StatisticsSource } from '@vigie/platform/plugin';
import { PLUGIN_ID } from './settings.js';

export const statisticsSource: StatisticsSource = {
  id: PLUGIN_ID,
  pluginId: PLUGIN_ID,
  label: { fr: 'Solidarité (registre du CCAS)', en: 'Solidarity (CCAS register)' },
  async compute(trx, { from, to }) {
    const people = (await trx('sol_people').where('created_at', '<', to).count({ n: '*' }).first()) as {
      n: string;
    };
    const plans = (await trx('sol_activations')
      .where('started_at', '>=', from)
      .where('started_at', '<', to)
      .select('summary')) as Array<{ summary: Record<string, number> }>;
    const sum = (k: string) => plans.reduce((t, p) => t + Number(p.summary[k] ?? 0), 0);
    return [
      {
        key: 'registered',
        label: { fr: 'Personnes inscrites au registre', en: 'People in the register' },
        value: Number(people.n),
      },
      {
        key: 'plans',
        label: { fr: 'Plans canicule ou grand froid activés', en: 'Heatwave or cold plans activated' },
        value: plans.length,
      },
      {
        key: 'roundAnswered',
        label: { fr: 'Appels et messages de tournée répondus', en: 'Round calls and messages answered' },
        value: sum('answered'),
      },
      { key: 'roundVisited', label: { fr: 'Visites de tournée', en: 'Round visits' }, value: sum('visited') },
      {
        key: 'roundNotAnswered',
        label: {
          fr: 'Personnes non jointes (par jour de tournée)',
          en: 'People not reached (per round day)',
        },
        value: sum('notAnswered'),
      },
    ];
  },
};
