import type { VigiePlugin } from '../plugins/contract.js';

/** Plugins that exist only in tests (e.g. to prove per-tenant gating). */
export const testOnlyPlugins: VigiePlugin[] = [];
