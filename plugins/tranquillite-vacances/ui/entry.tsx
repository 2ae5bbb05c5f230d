// Tranquillité Vacances' pages in the shell: the resident's declarations and
// the form; the police's console, one declaration, and the day's patrol list
// (phone-sized, printable). Each page loads on its own (lazy).
import { lazy } from 'react';
import { definePluginUi } from '@vigie/admin-ui/shell';
import { messages } from './messages.js';

const DECLARE = 'tranquillite-vacances.absence.declare';
const COUNTER = 'tranquillite-vacances.absence.declare_for';
const STAFF = 'tranquillite-vacances.absence.read_any';
const PATROL = 'tranquillite-vacances.visit.log';

export default definePluginUi({
  pluginId: 'tranquillite-vacances',
  messages,
  routes: [
    { path: '/tranquillite-vacances', page: lazy(() => import('./resident.js')), permission: DECLARE },
    {
      path: '/tranquillite-vacances/declarer',
      page: lazy(() => import('./resident.js').then((m) => ({ default: m.DeclarePage }))),
      permission: [DECLARE, COUNTER],
    },
    { path: '/police/tranquillite-vacances', page: lazy(() => import('./police.js')), permission: STAFF },
    {
      path: '/police/tranquillite-vacances/:id',
      page: lazy(() => import('./police.js').then((m) => ({ default: m.AbsencePage }))),
      permission: STAFF,
    },
    { path: '/police/tournee', page: lazy(() => import('./patrol.js')), permission: PATROL },
  ],
  menu: [
    { to: '/tranquillite-vacances', label: 'tv.menu.mine', permission: DECLARE, order: 170 },
    { to: '/police/tranquillite-vacances', label: 'tv.menu.console', permission: STAFF, order: 300 },
    { to: '/tranquillite-vacances/declarer', label: 'tv.menu.counter', permission: COUNTER, order: 305 },
    { to: '/police/tournee', label: 'tv.menu.patrol', permission: PATROL, order: 310 },
  ],
});
