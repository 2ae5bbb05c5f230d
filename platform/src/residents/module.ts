// The residents module: proof-of-address upload, the address-verification
// workflow's activities, reviewers' access to documents, and the RGPD rights
// (export, erasure, retention). See README "Données personnelles" for the
// retention defaults.
import { defineCoreModule } from '../core/module.js';
import { onAddressesReassigned } from '../geo/hooks.js';
import type { ActivityFn } from '../plugins/contract.js';
import { residentsActivities } from './activities.js';
import { residentsErrors } from './errors.js';
import { DECIDE_PERMISSION, PROOF_PERMISSION, residentsResolvers, residentsTypeDefs } from './graphql.js';
import { residentsRetention } from './retention.js';
import { residentsRoutesPlugin } from './routes.js';
import { residentsFollowTheirAddress } from './sector-moves.js';

// Memberships follow the map: registered once, when the composition root loads the module.
onAddressesReassigned(residentsFollowTheirAddress);

export const residentsModule = defineCoreModule({
  id: 'residents',
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
