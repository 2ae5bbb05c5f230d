// Test-only plugins for the enablement rules: a base plugin with a settings
// schema (defaults, bounds, no unknown keys), and one that depends on it.
import { Type } from '@sinclair/typebox';
import { definePlugin } from '../../plugins/contract.js';

export const testBasePlugin = definePlugin({
  id: 'test-base',
  name: 'Test: base plugin',
  settings: Type.Object(
    {
      radiusMeters: Type.Integer({ minimum: 50, maximum: 5000, default: 500 }),
      label: Type.Optional(Type.String({ maxLength: 20 })),
    },
    { additionalProperties: false },
  ),
});

export const testDependentPlugin = definePlugin({
  id: 'test-dependent',
  name: 'Test: plugin depending on test-base',
  dependsOn: ['test-base'],
});
