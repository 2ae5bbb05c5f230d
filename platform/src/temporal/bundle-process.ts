// The child process of bundleWorkflowsApart (worker.ts): builds the workflow
// bundle, writes it where the parent said, and exits, taking webpack's memory
// with it. Its input is one JSON argument; on failure it exits non-zero with
// the reason on stderr, which the parent reports.
import { writeFileSync } from 'node:fs';
import { bundleWorkflows, type BundleRequest } from './worker.js';

try {
  const request = JSON.parse(process.argv[2] ?? '') as BundleRequest;
  const bundle = await bundleWorkflows(
    request.sources.map((s) => ({ owner: s.owner, file: new URL(s.file) })),
    request.interceptorModules,
  );
  writeFileSync(request.out, 'code' in bundle ? bundle.code : '');
} catch (err) {
  process.stderr.write(`${(err as Error).message ?? String(err)}\n`);
  process.exitCode = 1;
}
