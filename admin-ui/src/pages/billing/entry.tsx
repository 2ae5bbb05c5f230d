// The billing pages, declared to the shell like a plugin's (pluginId null:
// every commune has them): the public price list and the mairie's subscription.
import { lazy } from 'react';
import { definePluginUi } from '../../shell/plugin.js';
import { fr } from './messages.js';

export const billingPages = definePluginUi({
  pluginId: null,
  messages: { fr, en: () => import('./messages.en.js').then((m) => m.en) },
  routes: [
    { path: '/tarifs', page: lazy(() => import('./prices.js')), audience: 'anyone' },
    {
      path: '/mairie/abonnement',
      page: lazy(() => import('./subscription.js')),
      permission: 'billing.subscription.manage',
    },
  ],
  menu: [
    { to: '/tarifs', label: 'pricing.nav.prices', audience: 'anyone', order: 95 },
    {
      to: '/mairie/abonnement',
      label: 'pricing.nav.subscription',
      permission: 'billing.subscription.manage',
      order: 96,
    },
  ],
});
