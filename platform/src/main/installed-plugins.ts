// The plugins installed in this build of Vigie. Every installed plugin is
// registered at boot and its migrations always run; enabling one for a commune
// is data (tenant_plugins). This composition root is the only platform file
// that imports plugins.
import type { VigiePlugin } from '../plugins/index.js';
import voisinsVigilants from '@vigie/plugin-voisins-vigilants';
import mairieVigilante from '@vigie/plugin-mairie-vigilante';
import tranquilliteVacances from '@vigie/plugin-tranquillite-vacances';
import solidarite from '@vigie/plugin-solidarite';

export const installedPlugins: VigiePlugin[] = [
  voisinsVigilants,
  mairieVigilante,
  tranquilliteVacances,
  solidarite,
];
