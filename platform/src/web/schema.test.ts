// The front end's types are generated from admin-ui/schema.graphql. If the
// server's schema moves and nobody reprints it, the UI compiles against a lie:
// this test fails until `npm run schema` (then `npm run codegen`) is run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { coreModules } from '../main/core-modules.js';
import { installedPlugins } from '../main/installed-plugins.js';
import { printVigieSchema } from './schema.js';
import { SCHEMA_FILE } from '../main/print-schema.js';

describe('the committed GraphQL schema', () => {
  const printed = printVigieSchema([...coreModules], installedPlugins);

  it('is what the server prints today (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      committed === printed,
      'admin-ui/schema.graphql is stale: run `npm run schema && npm run codegen`',
    ).toBe(true);
  });

  it('is a valid schema with the operations the portal needs', () => {
    const schema = buildSchema(printed);
    const query = schema.getQueryType()!.getFields();
    for (const f of ['tenant', 'me', 'myAlerts', 'myNotifications']) expect(query[f], f).toBeDefined();
    expect(schema.getSubscriptionType()?.getFields().alertRaised).toBeDefined();
  });
});
