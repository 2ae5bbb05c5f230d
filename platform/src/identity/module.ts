import { defineCoreModule } from '../core/module.js';
import { purgeAcrossTenants } from '../lib/purge.js';
import { decorateAccountMessenger, identityResolvers, identityTypeDefs } from './graphql.js';
import { operatorAuthRoutes } from './operators.js';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { operatorsCommand } from './operators-cli.js';
import { identityErrors } from './errors.js';

export const identityModule = defineCoreModule({
  id: 'identity',
  errors: identityErrors,
  graphql: {
    typeDefs: identityTypeDefs,
    resolvers: identityResolvers,
    allowWhenSuspended: ['login', 'logout', 'verifyTotp', 'requestPasswordReset', 'resetPassword'],
  },
  // Not encapsulated: operator routes of other modules use app.requireOperator.
  routes: fp(
    async (app: FastifyInstance) => {
      decorateAccountMessenger(app);
      await operatorAuthRoutes(app);
    },
    { name: 'operator-auth' },
  ),
  commands: { operators: operatorsCommand },
  retention: [
    {
      name: 'sessions',
      // Expired or revoked sessions are useless after a week (kept that long for support questions).
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - 7 * 86_400_000);
        return purgeAcrossTenants(db, (trx) =>
          trx('sessions').where('expires_at', '<', cutoff).orWhere('revoked_at', '<', cutoff).delete(),
        );
      },
    },
    {
      name: 'verification_tokens',
      async purge({ db }, asOf) {
        const cutoff = new Date(asOf.getTime() - 86_400_000);
        return purgeAcrossTenants(db, (trx) =>
          trx('verification_tokens').where('expires_at', '<', cutoff).delete(),
        );
      },
    },
  ],
});
