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
//
// Who may: permissions.ts (the console, assigning, notes, statistics); every
// action is checked on the server, the pages only hide what the server refuses.
// Its pages: ui/entry.tsx (the console at /console).
import { definePlugin, type PersonalDataKind } from '@vigie/platform/plugin';
import { PLUGIN_ID, iso } from './context.js';
import { mairieErrors } from './errors.js';
import { permissions } from './permissions.js';
import { triage } from './triage/index.js';

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

export default definePlugin({
  id: PLUGIN_ID,
  name: 'Mairie vigilante',
  dependsOn: [],
  migrations: new URL('../migrations/', import.meta.url),
  graphql: {
    typeDefs: [triage.typeDefs].join('\n'),
    resolvers: { ...triage.resolvers },
    loaders: { ...triage.loaders },
    // The police keep working an alert while the commune's account is suspended.
    allowWhenSuspended: ['assignAlert', 'addAlertNote'],
  },
  permissions,
  errors: mairieErrors,
  personalData,
});
