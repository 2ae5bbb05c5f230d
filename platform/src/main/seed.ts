// Seeds the demo communes found under tenants/ on every start (idempotent): the
// same apply as `vigie tenants apply --all`, then, in development only, demo
// accounts with known passwords for the start banner.
import type { Logger } from 'pino';
import type { Vigie } from './assembly.js';
import { geoServices } from '../geo/index.js';
import { applyFolders } from '../tenants/index.js';
import { tenantFolders } from '../tenants/index.js';
import { installedGeoImports } from '../tenants/index.js';
import { isNoChange } from '../tenants/index.js';
import { ensureDemoAccounts } from './demo.js';
import { ensureDemoLife } from './demo-life.js';
import { ensureDemoOperator } from '../identity/index.js';
import { coreServices } from '../core/refs.js';

export interface SeedReport {
  portals: Array<{ slug: string; name: string }>;
  logins: Array<{ tenant: string; role: string; email: string; password: string }>;
  /** Development only: the operator console's demo login. */
  operator?: { email: string; password: string; totpSecret: string };
}

export async function seedDemo(
  rt: Pick<Vigie, 'operatorDb' | 'db' | 'config' | 'plugins' | 'get'>,
  tenantsDir: string,
  log: Logger,
): Promise<SeedReport> {
  const deps = {
    operatorDb: rt.operatorDb,
    db: rt.db,
    config: rt.config,
    plugins: rt.plugins,
    geo: installedGeoImports(rt.get(geoServices.hooks)),
  };
  const outcomes = await applyFolders(deps, tenantFolders(tenantsDir), {
    actor: { type: 'system', source: 'seed' },
  });
  for (const o of outcomes) {
    // A broken folder must not stop the platform: it is reported and the other communes start.
    if (!o.ok)
      log.error(
        { folder: o.dir, code: o.code, issues: o.issues },
        'commune folder refused: fix it and restart, or run vigie tenants apply',
      );
    else if (!isNoChange(o.plan))
      log.info(
        {
          tenant: o.plan.slug,
          action: o.plan.action,
          fields: o.plan.changes.map((c) => c.field),
          firstAdmin: o.plan.firstAdmin,
        },
        'commune applied',
      );
  }
  const tenants: Array<{ id: string; slug: string; name: string }> = await rt
    .operatorDb('tenants')
    .orderBy('slug')
    .select('id', 'slug', 'name');
  const logins = [];
  let operator: SeedReport['operator'];
  if (rt.config.env === 'development') {
    operator = await ensureDemoOperator(rt.operatorDb, rt.config);
    for (const t of tenants) {
      logins.push(...(await ensureDemoAccounts(rt.db, t)));
      // A demo resident's first login shows a living community, not an empty portal.
      const life = await ensureDemoLife(rt.db, t, rt.plugins, rt.get(coreServices.platform));
      if (!life)
        log.info({ tenant: t.slug }, 'demo community not seeded: the commune has no sector with addresses');
    }
  }
  return {
    portals: tenants.map(({ slug, name }) => ({ slug, name })),
    logins,
    ...(operator ? { operator } : {}),
  };
}
