// Factur-X documents: the PDF drawn here, the CII XML built here, and the two
// joined as PDF/A-3 by the reference Python library (PyPI factur-x, pinned),
// which also checks the XML against the EN 16931 schema. The library lives in
// .vigie/tools/facturx (installed by .ci/run, or here on first use, as the
// Temporal CLI is); FACTURX_PYTHONPATH points elsewhere when deployed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fail } from '../errors.js';
import type { InvoiceDoc } from './invoice.js';
import { loadOnce } from '../../lib/load-once.js';
import { facturxXml } from './xml.js';

export type { InvoiceDoc, Issuer, Party, InvoiceLine } from './invoice.js';
export { facturxXml } from './xml.js';

export const FACTURX_VERSION = '7.8';
const run = promisify(execFile);
// pdf-lib and fontkit (about 35 MB resident) load with the first invoice: `vigie api` never draws one.
const pdfModule = loadOnce(() => import('./pdf.js'));
const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(here, 'embed.py');
const REPO_TOOLS = path.resolve(here, '../../../../.vigie/tools/facturx');

let ready: Promise<string> | undefined;

/** The PYTHONPATH holding factur-x, installing it on first use when it is missing. */
export function facturxPath(): Promise<string> {
  ready ??= (async () => {
    const dir = process.env.FACTURX_PYTHONPATH ?? REPO_TOOLS;
    if (existsSync(path.join(dir, 'facturx'))) return dir;
    try {
      await run(
        'python3',
        [
          '-m',
          'pip',
          'install',
          '--quiet',
          '--disable-pip-version-check',
          '--retries',
          '2',
          '--timeout',
          '30',
          '--target',
          dir,
          `factur-x==${FACTURX_VERSION}`,
        ],
        { timeout: 180_000 },
      );
    } catch (err) {
      ready = undefined;
      throw fail(
        'BILLING_INVOICE_RENDER_FAILED',
        `factur-x ${FACTURX_VERSION} is missing and pip could not install it into ${dir}`,
        undefined,
        { cause: err },
      );
    }
    return dir;
  })();
  return ready;
}

/** The invoice as a Factur-X (EN 16931) PDF/A-3. */
export async function renderFacturx(inv: InvoiceDoc): Promise<Buffer> {
  const pythonPath = await facturxPath();
  const dir = mkdtempSync(path.join(tmpdir(), 'vigie-facturx-'));
  try {
    const pdf = path.join(dir, 'in.pdf');
    const xml = path.join(dir, 'factur-x.xml');
    const out = path.join(dir, 'out.pdf');
    writeFileSync(pdf, await (await pdfModule()).invoicePdf(inv));
    writeFileSync(xml, facturxXml(inv));
    try {
      await run('python3', [SCRIPT, pdf, xml, out], {
        env: { ...process.env, PYTHONPATH: pythonPath },
        timeout: 60_000,
      });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? '';
      throw fail('BILLING_INVOICE_RENDER_FAILED', stderr.slice(0, 500) || 'factur-x failed', undefined, {
        cause: err,
      });
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
