// A worker or an API of the delivery harness in a process of its own, as
// `vigie worker` and `vigie api` run in production: for the crash test (the
// worker is killed with SIGKILL) and the fan-out benchmark (the worker and the
// API that takes the status callbacks). The child reads its configuration from
// one environment variable (JSON) and says `ready` on its standard output.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Harness } from './harness.js';
import { childProcessInput } from './process-instance.js';

async function spawnChild(
  h: Harness,
  script: 'worker-process.ts' | 'api-process.ts',
  variable: string,
  input: object,
): Promise<{ proc: ChildProcess; ready: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, script)], {
    cwd: h.ctx.env.repoRoot,
    env: { ...process.env, [variable]: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^ready.*$/m.exec(out);
      if (line) resolve(line[0]);
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
  });
  return { proc, ready };
}

/** The production workers (main queue and send queues), with the harness's services and these send rates. */
export async function startWorkerProcess(
  h: Harness,
  rates: { smsPerSecond: number; emailPerSecond: number; concurrency: number },
): Promise<ChildProcess> {
  const input = { ...childProcessInput(h, 'worker'), bundlePath: h.ctx.env.bundlePath, rates };
  return (await spawnChild(h, 'worker-process.ts', 'VIGIE_TEST_WORKER', input)).proc;
}

/** The API (every installed plugin, no web pages) on a free port; `base` is its address. */
export async function startApiProcess(
  h: Harness,
  poolSize: number,
): Promise<{ proc: ChildProcess; base: string }> {
  const input = { ...childProcessInput(h, 'api'), poolSize };
  const { proc, ready } = await spawnChild(h, 'api-process.ts', 'VIGIE_TEST_API', input);
  return { proc, base: `http://127.0.0.1:${Number(/ready (\d+)/.exec(ready)![1])}` };
}
