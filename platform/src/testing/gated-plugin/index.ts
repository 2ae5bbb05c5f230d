// A plugin that exists only in tests, to prove per-tenant gating: GraphQL fields,
// a type, a route under /p/test-gated and a tenant table of its own (which the
// RLS isolation test must cover like any core table).
import { Type } from '@sinclair/typebox';
import { definePlugin, withTenant } from '../../plugins/public.js';

export const gatedPlugin = definePlugin({
  id: 'test-gated',
  name: 'Test: gated plugin',
  migrations: new URL('./migrations/', import.meta.url),
  settings: Type.Object({ greeting: Type.String({ default: 'bonjour' }) }),
  permissions: [
    { name: 'test-gated.item.create', description: 'Créer un élément de test', roles: ['resident'] },
  ],
  graphql: {
    typeDefs: /* GraphQL */ `
      type GatedItem {
        id: ID!
        label: String!
      }
      extend type Query {
        gatedItems: [GatedItem!]!
      }
      extend type Mutation {
        addGatedItem(label: String!): GatedItem!
      }
    `,
    resolvers: {
      Query: {
        gatedItems: (_r, _a, ctx) =>
          ctx.tx((trx) => trx('test_gated_items').select('id', 'label').orderBy('created_at')),
      },
      Mutation: {
        addGatedItem: async (_r, { label }: { label: string }, ctx) => {
          ctx.authorize('test-gated.item.create');
          const tenant = ctx.requireTenant();
          return ctx.tx(
            async (trx) =>
              (
                await trx('test_gated_items')
                  .insert({ tenant_id: tenant.id, label })
                  .returning(['id', 'label'])
              )[0],
          );
        },
      },
    },
  },
  routes: async (app) => {
    app.get('/ping', async (req) => ({ pong: true, tenant: req.tenant?.slug }));
    app.get('/items/count', async (req) => {
      const n = await withTenant(app.db, req.tenant!.id, (trx) =>
        trx('test_gated_items').count('* as n').first(),
      );
      return { count: n?.n ?? 0 };
    });
  },
});
