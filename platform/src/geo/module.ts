// The geo core module: the commune's addresses (BAN import, search, geocoding)
// and its sectors (the polygons of communities). See DESIGN.md, "geo".
import { defineCoreModule } from '../core/module.js';
import { geoErrors } from './errors.js';
import { geoResolvers, geoTypeDefs } from './graphql.js';
import { addressesCommand, sectorsCommand } from './cli.js';
import { createGeoHooks, geoExtensions, geoServices } from './hooks.js';

export const geoModule = defineCoreModule({
  id: 'geo',
  // Other modules listen to addresses changing sector (residents: memberships follow the map).
  register(env) {
    const { hooks, extension } = createGeoHooks();
    env.provide(geoExtensions.addressesReassigned, extension);
    env.provide(geoServices.hooks, hooks);
  },
  graphql: { typeDefs: geoTypeDefs, resolvers: geoResolvers },
  permissions: [
    {
      name: 'geo.sector.manage',
      description: 'Créer, redessiner, renommer et retirer les secteurs de la commune',
      roles: ['mairie_admin'],
    },
    {
      name: 'geo.sector.redraw_own',
      description: 'Redessiner le contour de sa propre communauté',
      roles: ['referent'],
    },
    {
      name: 'geo.coverage.read',
      description: "Voir les adresses qu'aucun secteur ne couvre",
      roles: ['mairie_admin'],
    },
  ],
  errors: geoErrors,
  commands: { addresses: addressesCommand, sectors: sectorsCommand },
});
