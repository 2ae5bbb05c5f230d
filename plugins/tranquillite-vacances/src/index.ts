// Opération Tranquillité Vacances: residents declare their absences online,
// the police validate them, patrol the homes under watch and log each visit
// from a phone, and the resident gets a notice after every visit. This file
// tells the plugin's whole story:
//   migrations   tv_absences, tv_visits (RLS; door codes and key holders sealed),
//                tv_counts (anonymous counts that outlive the declarations)
//   graphql      the form and the commune's rules (model.ts), the resident's
//                changes and the police's decision (absences.ts), the patrol
//                list and visits (graphql.ts, patrol.ts)
//   workflows    absence-watch, one per absence (workflows/), with its activities;
//                an anomaly calls the person to contact (contact-call.ts, the
//                core's services.phoneCalls)
//   statistics   counts of absences and visits, through the core's extension point
//   retention    declarations deleted `retentionDays` after the return
//   demo         npm start: the demo referent's absences, one validated and one to validate (demo.ts)
import { coreExtensions, coreServices, definePlugin } from '@vigie/platform/plugin';
import { contactCallHandler } from './contact-call.js';
import { PLUGIN_ID, Settings } from './settings.js';
import { permissions } from './permissions.js';
import { tranquilliteErrors } from './errors.js';
import { loaders, resolvers, typeDefs } from './graphql.js';
import { absenceWatchActivities } from './activities.js';
import { personalData } from './personal-data.js';
import { retention } from './retention.js';
import { statisticsSource } from './statistics.js';
import { seedDemo } from './demo.js';

export default definePlugin({
  id: PLUGIN_ID,
  name: 'Opération Tranquillité Vacances',
  dependsOn: [],
  register(env) {
    env.registerInit({
      deps: {
        statistics: coreExtensions.statistics,
        phoneCalls: coreExtensions.phoneCalls,
        platform: coreServices.platform,
      },
      init({ statistics, phoneCalls, platform }) {
        statistics.contribute(statisticsSource);
        // An anomaly calls the declaration's person to contact: how the call went is kept on the visit.
        phoneCalls.contribute(contactCallHandler(() => platform));
      },
    });
  },
  migrations: new URL('../migrations/', import.meta.url),
  // absence-watch: one workflow per absence, `<commune>/absence-watch/<absenceId>`.
  workflows: new URL('./workflows/index.ts', import.meta.url),
  graphql: { typeDefs, resolvers, loaders },
  permissions,
  activities: (deps) => ({ ...absenceWatchActivities(deps) }),
  settings: Settings,
  errors: tranquilliteErrors,
  personalData,
  retention,
  // npm start: two declarations of the demo referent, so the police console is not empty.
  seedDemo,
});
