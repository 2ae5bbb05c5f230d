// Solidarité's pages in the shell: the resident's page (their entry or a
// relative's, « Je vais bien », and volunteering), the enrolment form (for a
// resident, and for a CCAS or mairie agent at the counter), and the CCAS
// console (the register, pairing, the plan canicule / grand froid, live).
import { lazy } from 'react';
import { definePluginUi } from '@vigie/admin-ui/shell';
import { messages } from './messages.js';
import { CcasHome, ResidentHome } from './home-block.js';

const JOIN = 'solidarite.register.join';
const VOLUNTEER = 'solidarite.volunteer.offer';
const MANAGE = 'solidarite.register.manage';
const PLAN = 'solidarite.plan.manage';

export default definePluginUi({
  pluginId: 'solidarite',
  messages,
  routes: [
    { path: '/solidarite', page: lazy(() => import('./resident.js')), permission: [JOIN, VOLUNTEER] },
    {
      path: '/solidarite/inscrire',
      page: lazy(() => import('./enrol.js')),
      permission: [JOIN, MANAGE],
    },
    { path: '/ccas', page: lazy(() => import('./ccas.js')), permission: [MANAGE, PLAN] },
    {
      path: '/ccas/registre/:id',
      page: lazy(() => import('./ccas.js').then((m) => ({ default: m.PersonPage }))),
      permission: MANAGE,
    },
  ],
  home: [
    { component: CcasHome, permission: MANAGE, order: 15 },
    { component: ResidentHome, permission: VOLUNTEER, order: 60 },
  ],
  menu: [
    { to: '/solidarite', label: 'sol.menu.mine', permission: [JOIN, VOLUNTEER], order: 175 },
    { to: '/ccas', label: 'sol.menu.ccas', permission: [MANAGE, PLAN], order: 320 },
  ],
});
