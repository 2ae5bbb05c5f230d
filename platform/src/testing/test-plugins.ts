import type { VigiePlugin } from '../plugins/contract.js';
import { gatedPlugin } from './gated-plugin/index.js';
import { testBasePlugin, testDependentPlugin } from '../tenants/testing/plugins.js';

/** Plugins that exist only in tests (e.g. to prove per-tenant gating). */
export const testOnlyPlugins: VigiePlugin[] = [
  gatedPlugin as unknown as VigiePlugin,
  testBasePlugin as unknown as VigiePlugin,
  testDependentPlugin,
];
