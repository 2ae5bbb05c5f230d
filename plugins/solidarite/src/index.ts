// Solidarité: the CCAS register of isolated and vulnerable people (plan
// canicule, registre nominatif), kept with their consent. This file tells the
// plugin's whole story:
//   migrations   sol_people (RLS; phone and health notes sealed), sol_volunteers,
//                sol_pairings, sol_signs, sol_activations, sol_round_contacts
//   graphql      entering a person with consent and withdrawing it (register.ts),
//                volunteers and pairing, signs of life, the plan (plan.ts)
//   workflows    check-in, one per person (expects news at each interval, then
//                calls a landline or texts a mobile with no account through the
//                core's services.phoneCalls — 1 or OUI is news — reminds the
//                volunteers, tells the CCAS, alerts the police);
//                plan-round, one per activation (the daily round)
//   statistics   counts only, through the core's extension point
//   retention    health notes after `healthNotesRetentionDays`, signs after 90 days
import { coreExtensions, coreServices, definePlugin } from '@vigie/platform/plugin';
import { smsReplyHandler } from './sms-reply.js';
import { phoneCallHandler } from './call.js';
import { PLUGIN_ID, Settings } from './settings.js';
import { permissions } from './permissions.js';
import { solidariteErrors } from './errors.js';
import { loaders, resolvers, typeDefs } from './graphql.js';
import { solidariteActivities } from './activities.js';
import { personalData } from './personal-data.js';
import { retention } from './retention.js';
import { statisticsSource } from './statistics.js';

export default definePlugin({
  id: PLUGIN_ID,
  name: 'Solidarité',
  // Volunteers are verified neighbours of a community.
  dependsOn: ['voisins-vigilants'],
  register(env) {
    env.registerInit({
      deps: {
        statistics: coreExtensions.statistics,
        smsReplies: coreExtensions.smsReplies,
        phoneCalls: coreExtensions.phoneCalls,
        platform: coreServices.platform,
      },
      init({ statistics, smsReplies, phoneCalls, platform }) {
        statistics.contribute(statisticsSource);
        // « OUI » by SMS to the register's question, before the text would become an alert.
        smsReplies.contribute(smsReplyHandler(() => platform));
        // 1 pressed on the automatic call to a landline, OUI to the text to a mobile: a sign of
        // life; anything else: the volunteers.
        phoneCalls.contribute(phoneCallHandler(() => platform));
      },
    });
  },
  migrations: new URL('../migrations/', import.meta.url),
  workflows: new URL('./workflows/index.ts', import.meta.url),
  graphql: { typeDefs, resolvers, loaders },
  permissions,
  activities: (deps) => ({ ...solidariteActivities(deps) }),
  settings: Settings,
  errors: solidariteErrors,
  personalData,
  retention,
});
