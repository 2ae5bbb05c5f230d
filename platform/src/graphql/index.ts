// GraphQL at /graphql. The core declares a small schema; each plugin extends it
// with its own typeDefs, resolvers and loaders (mercurius extendSchema).
import fp from 'fastify-plugin';
import mercurius, { type IResolvers } from 'mercurius';
import type { FastifyInstance } from 'fastify';
import type { GraphQLError } from 'graphql';
import { isVigieError } from '../server/errors.js';
import type { VigiePlugin } from '../plugins/contract.js';
import type { CoreModule } from '../core/module.js';
import { toPublicError } from '../server/errors.js';

/** The stable code of a GraphQL error: the catalogue's for our errors, VALIDATION_FAILED for malformed queries. */
function graphqlErrorCode(original: unknown): string {
  if (original === undefined || original === null) return 'VALIDATION_FAILED';
  if (isVigieError(original)) return original.code;
  const e = original as { statusCode?: number };
  if (typeof e.statusCode === 'number' && e.statusCode < 500) return toPublicError(original).body.code;
  return 'INTERNAL';
}

export const coreTypeDefs = /* GraphQL */ `
  type Query {
    "Version of the Vigie API."
    version: String!
  }

  type SystemNotice {
    message: String!
    at: String!
  }

  type Subscription {
    "Platform-wide notices (planned maintenance), pushed live to every client."
    systemNotice: SystemNotice!
  }
`;

export const SYSTEM_NOTICE_TOPIC = 'SYSTEM_NOTICE';

const coreResolvers: IResolvers = {
  Query: {
    version: () => '0.1.0',
  },
  Subscription: {
    systemNotice: {
      subscribe: async (_root, _args, { pubsub }) => pubsub.subscribe(SYSTEM_NOTICE_TOPIC),
    },
  },
};

async function graphql(app: FastifyInstance, opts: { plugins: VigiePlugin[]; modules: CoreModule[] }): Promise<void> {
  await app.register(mercurius, {
    schema: coreTypeDefs,
    resolvers: coreResolvers,
    graphiql: app.config.env !== 'production',
    subscription: true,
    path: '/graphql',
    // GraphQL errors carry extensions.code from the catalogue; 5xx hide their message.
    errorFormatter: (execution, ctx) => {
      const formatted = mercurius.defaultErrorFormatter(execution, ctx);
      const errors = (execution.errors ?? []).flatMap((e: GraphQLError) => {
        const original = e.originalError as (Error & { errors?: GraphQLError[] }) | undefined;
        // Malformed queries: mercurius wraps graphql-js's validation errors in one error.
        if (Array.isArray(original?.errors)) {
          return original.errors.map((v) => ({ message: v.message, locations: v.locations, extensions: { code: 'VALIDATION_FAILED' } }));
        }
        const code = graphqlErrorCode(original);
        if (code === 'VALIDATION_FAILED') return [{ message: e.message, locations: e.locations, path: e.path, extensions: { code } }];
        const { body } = toPublicError(original);
        if (body.code === 'INTERNAL') ctx.reply?.log.error({ err: original }, 'graphql resolver failed');
        return [{ message: body.message, locations: e.locations, path: e.path, extensions: { code: body.code, ...(body.details ? { details: body.details } : {}) } }];
      });
      return { statusCode: formatted.statusCode, response: { data: formatted.response.data ?? null, errors } };
    },
  });
  for (const plugin of [...opts.modules, ...opts.plugins]) {
    if (!plugin.graphql) continue;
    await app.graphql.extendSchema(plugin.graphql.typeDefs);
    if (plugin.graphql.resolvers) app.graphql.defineResolvers(plugin.graphql.resolvers);
    if (plugin.graphql.loaders) app.graphql.defineLoaders(plugin.graphql.loaders);
  }
}

export const graphqlModule = fp(graphql, { name: 'graphql' });
