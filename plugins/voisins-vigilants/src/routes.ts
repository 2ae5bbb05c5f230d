// REST routes under /p/voisins-vigilants (404 for communes without the plugin).
// The charter is public: the registration page shows it before an account exists.
import type { PluginRoutes } from '@vigie/platform/plugin';
import { DEFAULT_CHARTER } from './charter/text.js';
import { PLUGIN_ID, settingsFrom } from './settings.js';

export const routes: PluginRoutes = async (app) => {
  app.get(
    '/charter',
    {
      schema: {
        tags: ['voisins-vigilants'],
        summary: 'La charte de la communauté (texte et version en vigueur)',
      },
    },
    async (req) => {
      const s = settingsFrom(req.tenant?.plugins.get(PLUGIN_ID));
      return { version: s.charterVersion, text: s.charterText ?? DEFAULT_CHARTER };
    },
  );
};
