// Voisins vigilants' pages in the shell: the community, its discussions,
// events and private messages, raising and following alerts, and the
// referent's desk. Each page loads on its own (lazy) so the first route stays light.
import { lazy } from 'react';
import { definePluginUi } from '@vigie/admin-ui/shell';
import { messages } from './messages.js';
import { CommunityHome } from './home-block.js';

const REFERENT = 'voisins-vigilants.membership.validate';
// Police and mairie: the communities' referents, rounds and coverage.
const GOVERNANCE = 'voisins-vigilants.referent.read';

export default definePluginUi({
  pluginId: 'voisins-vigilants',
  messages,
  routes: [
    { path: '/communaute', page: lazy(() => import('./community.js')) },
    { path: '/communaute/discussions', page: lazy(() => import('./discussions.js')) },
    {
      path: '/communaute/discussions/:id',
      page: lazy(() => import('./discussions.js').then((m) => ({ default: m.ThreadPage }))),
    },
    { path: '/communaute/evenements', page: lazy(() => import('./events.js')) },
    { path: '/messages', page: lazy(() => import('./conversations.js')) },
    {
      path: '/messages/:neighbourId',
      page: lazy(() => import('./conversations.js').then((m) => ({ default: m.ConversationPage }))),
    },
    { path: '/alerter', page: lazy(() => import('./alert-form.js')) },
    { path: '/alertes', page: lazy(() => import('./alerts.js')) },
    { path: '/alertes/:id', page: lazy(() => import('./alerts.js').then((m) => ({ default: m.AlertPage }))) },
    { path: '/referent', page: lazy(() => import('./referent.js')), permission: REFERENT },
    { path: '/gouvernance', page: lazy(() => import('./governance.js')), permission: GOVERNANCE },
  ],
  menu: [
    { to: '/communaute', label: 'vv.menu.community', order: 100 },
    { to: '/alerter', label: 'vv.menu.raise', order: 110 },
    { to: '/alertes', label: 'vv.menu.myAlerts', order: 120 },
    { to: '/communaute/discussions', label: 'vv.menu.discussions', order: 130 },
    { to: '/communaute/evenements', label: 'vv.menu.events', order: 140 },
    { to: '/messages', label: 'vv.menu.messages', order: 150 },
    { to: '/referent', label: 'vv.menu.referent', permission: REFERENT, order: 160 },
    { to: '/gouvernance', label: 'vv.menu.governance', permission: GOVERNANCE, order: 58 },
  ],
  home: [{ component: CommunityHome, order: 100 }],
});
