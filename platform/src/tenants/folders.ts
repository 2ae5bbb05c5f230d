// Applies commune folders one by one (the CLI and the demo seed). Each commune
// is its own transaction: a broken folder is reported and does not stop the
// others, and never leaves its own commune half-applied.
import { isVigieError } from '../lib/errors.js';
import type { Actor } from './audit.js';
import { applyTenant, type ApplyDeps, type TenantPlan } from './apply.js';
import { loadTenantFolder } from './load.js';
import type { SpecIssue } from './validate.js';

export type FolderOutcome =
  { dir: string; ok: true; plan: TenantPlan } | { dir: string; ok: false; issues: SpecIssue[]; code: string };

export async function applyFolders(
  deps: ApplyDeps,
  dirs: string[],
  opts: { dryRun?: boolean; actor: Actor },
): Promise<FolderOutcome[]> {
  const out: FolderOutcome[] = [];
  for (const dir of dirs) {
    const loaded = loadTenantFolder(dir, { plugins: deps.plugins });
    if (!loaded.ok) {
      out.push({ dir: loaded.dir, ok: false, issues: loaded.issues, code: 'TENANT_SPEC_INVALID' });
      continue;
    }
    const { definition, addressesCsv, sectorsGeojson } = loaded.folder;
    try {
      const plan = await applyTenant(deps, { definition, addressesCsv, sectorsGeojson }, opts);
      out.push({ dir: loaded.folder.dir, ok: true, plan });
    } catch (err) {
      // Our refusals (domain taken, dependency disabled, INSEE already used) are the operator's to fix; anything else is a bug.
      if (!isVigieError(err) || err.statusCode >= 500) throw err;
      out.push({
        dir: loaded.folder.dir,
        ok: false,
        issues: [{ path: '', message: err.message }],
        code: err.code,
      });
    }
  }
  return out;
}
