import net from 'node:net';

// Ports for services a test starts later (embedded PostgreSQL, the Temporal dev
// server and its web UI, stand-ins). They are picked below Linux's ephemeral range
// (32768–60999): a port the OS hands out for `listen(0)` or an outgoing connection
// can be taken by anyone between the pick and the bind. The Temporal dev server
// alone binds five such random ports before its web UI, and once took the UI port
// a test had picked a minute earlier ("bind: address already in use").
// Each vitest worker (VITEST_POOL_ID) has its own slice, so two workers never pick
// the same port, and a worker walks its slice in order, so it does not pick a port
// twice before it has used them all.
const BASE = 20_000;
const SLICE = 750;
const SLICES = 16; // 20000–31999

const pool = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0);
const sliceStart = BASE + (Number.isFinite(pool) ? pool % SLICES : 0) * SLICE;
let next = Math.floor(Math.random() * SLICE);

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago, outside the range the OS hands out by itself. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < SLICE; tried++) {
    const port = sliceStart + (next++ % SLICE);
    if (await canBind(port)) return port;
  }
  throw new Error(`No free port left in ${sliceStart}–${sliceStart + SLICE - 1}`);
}
