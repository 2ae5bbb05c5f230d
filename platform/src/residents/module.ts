// The residents module: proof-of-address upload, the address-verification
// workflow's activities, reviewers' access to documents, and the RGPD rights
// (export, erasure, retention). See README "Données personnelles" for the
// retention defaults.
import { defineCoreModule, workflowFile } from '../core/module.js';
import { geoExtensions } from '../geo/index.js';
import { coreServices } from '../core/refs.js';
import { createResidentsHooks, residentsServices } from './hooks.js';
import type { ActivityFn } from '../plugins/index.js';
import { residentsActivities } from './activities.js';
import { residentsErrors } from './errors.js';
import { DECIDE_PERMISSION, PROOF_PERMISSION, residentsResolvers, residentsTypeDefs } from './graphql.js';
import { residentsRetention } from './retention.js';
import { residentsRoutesPlugin } from './routes.js';
import { residentsFollowTheirAddress } from './sector-moves.js';

export const residentsModule = defineCoreModule({
  id: 'residents',
  register(env) {
    const hooks = createResidentsHooks();
    env.provide(residentsServices.hooks, hooks);
    env.registerInit({
      deps: {
        plugins: coreServices.plugins,
        platform: coreServices.platform,
        addressesReassigned: geoExtensions.addressesReassigned,
      },
      init({ plugins, platform, addressesReassigned }) {
        // The installed plugins' personal data and membership hooks, for this instance.
        hooks.install(plugins, platform);
        // Memberships follow the map.
        addressesReassigned.listen((trx, changes) => residentsFollowTheirAddress(trx, changes, hooks));
      },
    });
  },
  workflows: workflowFile('@vigie/workflows/address-verification', import.meta.url),
  graphql: {
    typeDefs: residentsTypeDefs,
    resolvers: residentsResolvers,
    allowWhenSuspended: ['exportMyData', 'deleteMyAccount', 'withdrawVerification'],
  },
  routes: residentsRoutesPlugin,
  permissions: [
    {
      name: DECIDE_PERMISSION,
      description: "Valider ou refuser la vérification d'adresse d'un résident",
      roles: ['referent', 'mairie_admin'],
    },
    {
      name: PROOF_PERMISSION,
      description: 'Consulter un justificatif de domicile en attente de vérification',
      roles: ['referent', 'mairie_admin'],
    },
  ],
  activities: (deps) => residentsActivities(deps) as unknown as Record<string, ActivityFn>,
  retention: residentsRetention,
  errors: residentsErrors,
});
