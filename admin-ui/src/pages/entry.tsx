// The shell's own pages, declared like a plugin's (pluginId null: always on).
import { lazy } from 'react';
import { definePluginUi } from '../shell/plugin.js';
import { fr } from '../shell/messages/fr.js';
import HomePage from './home.js';
import LoginPage from './login.js';
import { AccessibilityPage, PrivacyPage } from './static.js';

export const corePages = definePluginUi({
  pluginId: null,
  // English, a switch away, loads only when chosen.
  messages: { fr, en: () => import('../shell/messages/en.js').then((m) => m.en) },
  routes: [
    { path: '/', page: HomePage, audience: 'anyone' },
    { path: '/connexion', page: LoginPage, audience: 'anyone' },
    { path: '/inscription', page: lazy(() => import('./register.js')), audience: 'anyone' },
    {
      path: '/verifier-email',
      page: lazy(() => import('./verification.js').then((m) => ({ default: m.VerifyEmailPage }))),
      audience: 'anyone',
    },
    { path: '/nouveau-mot-de-passe', page: lazy(() => import('./set-password.js')), audience: 'anyone' },
    { path: '/accessibilite', page: AccessibilityPage, audience: 'anyone' },
    { path: '/confidentialite', page: PrivacyPage, audience: 'anyone' },
    { path: '/compte', page: lazy(() => import('./account.js')) },
    { path: '/compte/verification', page: lazy(() => import('./verification.js')) },
    { path: '/compte/double-authentification', page: lazy(() => import('./two-factor.js')) },
    { path: '/mon-adresse', page: lazy(() => import('./residence.js')) },
    { path: '/notifications', page: lazy(() => import('./notifications.js')) },
    { path: '/preferences', page: lazy(() => import('./preferences.js')) },
    { path: '/mes-donnees', page: lazy(() => import('./my-data.js')) },
  ],
  menu: [{ to: '/', label: 'nav.home', audience: 'anyone', order: 0 }],
});
