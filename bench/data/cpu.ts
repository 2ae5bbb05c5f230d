// CPU time of the processes a benchmark drives, read from /proc (Linux): a
// process's own time plus what its exited children left it (cutime, cstime),
// plus its live children's. PostgreSQL runs a process per connection, so the
// postmaster and its children are counted together; the Temporal dev server
// likewise. Found by what their command line says (the port they were given).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // CLK_TCK on Linux

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after it.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(rest[i - 3]);
    return { pid, ppid: n(4), ticks: n(14) + n(15) + n(16) + n(17) };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function all(): Stat[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => stat(Number(d)) ?? []);
}

/** The processes whose command line matches, with all their descendants. */
export function processTree(match: (cmd: string) => boolean): () => number[] {
  return () => {
    const stats = all();
    const roots = stats.filter((s) => match(cmdline(s.pid))).map((s) => s.pid);
    const out = new Set(roots);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of stats)
        if (out.has(s.ppid) && !out.has(s.pid)) {
          out.add(s.pid);
          grew = true;
        }
    }
    return [...out];
  };
}

/** CPU seconds used so far by a set of processes (their children's included). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const p of pids) ticks += stat(p)?.ticks ?? 0;
  return ticks / TICKS;
}

export interface CpuMeter {
  /** CPU seconds per process group since the meter started. */
  stop(): Record<string, number>;
}

/**
 * Starts counting. Groups are resolved at start and again at stop (a
 * PostgreSQL backend opened meanwhile is counted from zero; one that exited
 * left its time in the postmaster's cutime).
 */
export function cpuMeter(groups: Record<string, () => number[]>): CpuMeter {
  const start: Record<string, Map<number, number>> = {};
  for (const [name, pids] of Object.entries(groups))
    start[name] = new Map(pids().map((p) => [p, cpuSeconds([p])]));
  return {
    stop() {
      const out: Record<string, number> = {};
      for (const [name, pids] of Object.entries(groups)) {
        let s = 0;
        for (const p of pids()) s += cpuSeconds([p]) - (start[name]!.get(p) ?? 0);
        out[name] = s;
      }
      return out;
    },
  };
}

/**
 * The usual groups of a benchmark: this Node process, the Temporal dev server
 * and the PostgreSQL cluster the rig started (found by their ports), and any
 * other group given (a child API process).
 */
export function serviceMeter(
  ctx: { database: { ownerUrl: string }; env: { temporalAddress: string } },
  extra: Record<string, () => number[]> = {},
): CpuMeter {
  const pgPort = new URL(ctx.database.ownerUrl).port;
  const temporalPort = ctx.env.temporalAddress.split(':').pop()!;
  return cpuMeter({
    node: () => [process.pid],
    ...extra,
    temporal: processTree((cmd) => cmd.includes('temporal') && cmd.includes(`--port ${temporalPort}`)),
    postgres: processTree((cmd) => /postgres/.test(cmd) && cmd.includes(`-p ${pgPort}`)),
  });
}
