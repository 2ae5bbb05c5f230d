// The operator console, declared to the shell like a plugin's pages (pluginId
// null). Its pages answer on the platform's host only (they say so on a
// commune's) and use the operator's own login, not a commune account: the
// shell's audiences are about commune accounts, so every route is 'anyone'
// and the pages ask /operator/session themselves.
import { lazy } from 'react';
import { definePluginUi } from '../../shell/plugin.js';
import { fr } from './messages.js';

export const operatorPages = definePluginUi({
  pluginId: null,
  messages: { fr, en: () => import('./messages.en.js').then((m) => m.en) },
  routes: [
    { path: '/operateur', page: lazy(() => import('./login.js')), audience: 'anyone' },
    { path: '/operateur/communes', page: lazy(() => import('./communes.js')), audience: 'anyone' },
    { path: '/operateur/communes/nouvelle', page: lazy(() => import('./onboarding.js')), audience: 'anyone' },
  ],
  menu: [],
});
