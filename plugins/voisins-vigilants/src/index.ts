// Voisins vigilants: neighbours who watch over their street together. This file
// tells the plugin's whole story: what it stores (migrations), what it adds to
// GraphQL and under /p/voisins-vigilants, who may do what (permissions), what
// the worker runs for it (activities), and what a commune can set (settings).
//
// Each feature is a slice (slice.ts) with its GraphQL, loaders, activities and
// error codes side by side:
//   community    the community page, membership (automatic or requested by hand),
//                leaving, exclusion and appeal to the mairie, referentActivity
//   charter      the community charter, accepted before posting
//   discussions  threads and comments (not security: that is what alerts are for)
//   events       events, RSVPs and their reminder workflow (workflows/event-reminders)
//   alerts       alerts from neighbours: the structured form, raised through the
//                core alert model and its guaranteed delivery, hourly budget,
//                duplicates merged, « j'ai vu aussi » / « je peux aider »
//   messages     private messages, only between members of one community
//   moderation   reports, hiding with a reason, the moderation queue and log
//   referents    candidacies, the referent-selection workflow (workflows/), referent tools
//                (support requests, boundary redraw)
import { definePlugin } from '@vigie/platform/plugin';
import { PLUGIN_ID, Settings } from './settings.js';
import { permissions } from './permissions.js';
import { assemble, type Slice } from './slice.js';
import { routes } from './routes.js';
import { personalData } from './personal-data.js';
import { onCoreMembershipEnded } from './community/core-hooks.js';
import { seedDemo } from './demo.js';
import { community } from './community/index.js';
import { charter } from './charter/index.js';
import { discussions } from './discussions/index.js';
import { events } from './events/index.js';
import { alerts } from './alerts/index.js';
import { messages } from './messages/index.js';
import { moderation } from './moderation/index.js';
// ── Referents (candidacies, the referent-selection workflow, referent tools) ──
// The referents slice plugs in here: one import and one entry in `slices`.
import { referents } from './referents/index.js';
import { voisinsErrors } from './errors.js';

const slices: Slice[] = [community, charter, discussions, events, alerts, messages, moderation, referents];

const plugin = assemble(slices);

export default definePlugin({
  id: PLUGIN_ID,
  name: 'Voisins vigilants et solidaires',
  dependsOn: [],
  // Per instance: the extension point through which slices hear of memberships ending.
  register: plugin.register,
  migrations: new URL('../migrations/', import.meta.url),
  // referent-selection (one per community) and event-reminders (one per event).
  workflows: new URL('./workflows/index.ts', import.meta.url),
  graphql: plugin.graphql,
  routes,
  permissions: [...permissions, ...plugin.permissions],
  activities: plugin.activities,
  settings: Settings,
  errors: voisinsErrors,
  personalData,
  onMembershipEnded: onCoreMembershipEnded,
  // `npm start` in development: the demo community's threads, event and messages.
  seedDemo,
});
