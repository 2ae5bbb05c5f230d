// Mairie vigilante: the live console of the mairie and the police municipale.
// This file tells the plugin's whole story.
//
// What it reads: the core's alert model. The console's pages call the core's
// own GraphQL for what it already answers (the alerts of the commune, the live
// subscriptions alertRaised and alertStatusChanged, taking in charge and
// closing with acknowledgeAlert and setAlertStatus, the delivery report), so
// the reporter's « Mes alertes » and the console read one history.
//
// What it adds (each feature a folder with its GraphQL and loaders):
//   triage      assigning an alert to an officer, the staff's notes (own tables,
//               migrations/0001_console.ts), each step audited
//   alerting    alerting down: the SMS cost on the core's alertPreview (the commune's
//               price per segment, settings.ts), and the commune's templates per
//               category (migrations/0002_templates.ts)
//   statistics  the statistics page and the annual report (HTML, CSV, PDF through
//               headless Chromium), from every contribution to the core's
//               statistics extension point (coreExtensions.statistics): the core's
//               alerts, tranquillite-vacances… without importing any of them;
//               counts only, below 5 shown « < 5 »
//   counter     registering a resident without internet at the counter (issue 12):
//               the core's services.residents.registerAtCounter, the paper proof's
//               kind audited, never the document
//
// Who may: permissions.ts (the console, assigning, notes, statistics, the counter); every
// action is checked on the server, the pages only hide what the server refuses.
// Its pages: ui/entry.tsx (the console at /console).
import { definePlugin, type PersonalDataKind, type PluginResolvers } from '@vigie/platform/plugin';
import { PLUGIN_ID, iso } from './context.js';
import { mairieErrors } from './errors.js';
import { permissions } from './permissions.js';
import { triage } from './triage/index.js';
import { Settings } from './settings.js';
import { statistics, statisticsRoutes } from './statistics/index.js';
import { alerting } from './alerting/index.js';
import { counter } from './counter/index.js';

/** Notes an officer wrote: theirs to export; kept on erasure (the alert's follow-up), signed « Ancien membre ». */
const personalData: PersonalDataKind[] = [
  {
    name: 'consoleNotes',
    label: 'Notes de suivi écrites sur des alertes (personnel de la commune)',
    onErasure: 'conservées, signées « Ancien membre »',
    async export(trx, accountId) {
      const rows: Array<{ alert_id: string; text: string; created_at: Date }> = await trx('mv_alert_notes')
        .where({ author_id: accountId })
        .orderBy('created_at')
        .select('alert_id', 'text', 'created_at');
      return rows.map((r) => ({ alertId: r.alert_id, text: r.text, at: iso(r.created_at) }));
    },
    async erase() {
      // The account row stays, renamed « Ancien membre »: the notes keep pointing at it.
    },
  },
];

type ResolverMap = Record<string, Record<string, unknown>>;

/** One resolver map from the slices' (a field defined twice is a mistake, said at boot). */
function mergeResolvers(...maps: PluginResolvers[]): PluginResolvers {
  const out: ResolverMap = {};
  for (const m of maps as ResolverMap[])
    for (const [type, fields] of Object.entries(m)) {
      for (const field of Object.keys(fields))
        if (out[type] && field in out[type]) throw new Error(`Resolver ${type}.${field} is defined twice`);
      out[type] = { ...out[type], ...fields };
    }
  return out as PluginResolvers;
}

export default definePlugin({
  id: PLUGIN_ID,
  name: 'Mairie vigilante',
  dependsOn: [],
  migrations: new URL('../migrations/', import.meta.url),
  graphql: {
    typeDefs: [triage.typeDefs, statistics.typeDefs, alerting.typeDefs, counter.typeDefs].join('\n'),
    resolvers: mergeResolvers(triage.resolvers, statistics.resolvers, alerting.resolvers, counter.resolvers),
    loaders: { ...triage.loaders },
    // The police keep working an alert while the commune's account is suspended.
    allowWhenSuspended: ['assignAlert', 'addAlertNote'],
  },
  // The annual report's downloads: /p/mairie-vigilante/annual-report/<year>/(html|csv|pdf).
  routes: statisticsRoutes,
  permissions,
  // The price of an SMS segment, for the cost shown before alerting down.
  settings: Settings,
  errors: mairieErrors,
  personalData,
});
