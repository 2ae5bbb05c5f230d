import type { VigiePlugin } from '../plugins/contract.js';

export const TEMPLATE_DB = 'vigie_template';

export interface TestEnvironment {
  superuserUrl: string;
  ownerTemplateUrl: string;
  ownerPassword: string;
  appPassword: string;
  operatorPassword: string;
  temporalAddress: string;
  temporalCli: string;
  bundlePath: string;
  tmpDir: string;
  repoRoot: string;
}

/** Installed plugins plus the test-only ones; their migrations are all in the template. */
export async function testPlugins(): Promise<VigiePlugin[]> {
  const { installedPlugins } = await import('../main/installed-plugins.js');
  const { testOnlyPlugins } = await import('./test-plugins.js');
  return [...installedPlugins, ...testOnlyPlugins];
}

declare module 'vitest' {
  export interface ProvidedContext {
    vigie: TestEnvironment;
  }
}
