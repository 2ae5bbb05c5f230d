// Mairie vigilante's pages in the shell: the live console (map and feed,
// triage), alerting down, statistics, and registering a resident at the
// counter. Shown only where the commune has enabled the plugin and to those
// the server grants each page; each action is checked again by the server.
import { lazy } from 'react';
import { definePluginUi } from '@vigie/admin-ui/shell';
import { messages } from './messages.js';
import { ConsoleHome } from './home-block.js';

const CONSOLE = 'mairie-vigilante.console.read';
const STATISTICS = 'mairie-vigilante.statistics.read';
// The core's permission: raising to any sector or the whole town.
const RAISE = 'alerts.alert.raise_any';
// The core's permission: each recipient of an alert, with its state.
const DELIVERY = 'alerts.delivery.read';
const COUNTER = 'mairie-vigilante.counter.register';

export default definePluginUi({
  pluginId: 'mairie-vigilante',
  messages,
  routes: [
    { path: '/console', page: lazy(() => import('./console.js')), permission: CONSOLE },
    { path: '/console/alerter', page: lazy(() => import('./compose.js')), permission: RAISE },
    {
      path: '/console/alertes/:id/diffusion',
      page: lazy(() => import('./delivery-report.js')),
      permission: DELIVERY,
    },
    { path: '/console/statistiques', page: lazy(() => import('./statistics.js')), permission: STATISTICS },
    { path: '/console/guichet', page: lazy(() => import('./counter.js')), permission: COUNTER },
  ],
  menu: [
    { to: '/console', label: 'mv.menu.console', permission: CONSOLE, order: 50 },
    { to: '/console/alerter', label: 'mv.menu.compose', permission: RAISE, order: 52 },
    { to: '/console/statistiques', label: 'mv.menu.statistics', permission: STATISTICS, order: 55 },
    { to: '/console/guichet', label: 'mv.menu.counter', permission: COUNTER, order: 56 },
  ],
  home: [{ component: ConsoleHome, permission: CONSOLE, order: 10 }],
});
