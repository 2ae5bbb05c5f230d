// One Vigie per data directory. Two starts on the same .vigie/ would otherwise
// race on initdb and on the Temporal SQLite file, and the second one would stop
// the first one's PostgreSQL as a "leftover"; the second one is refused instead.
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { StartupError } from './errors.js';
import { isAlive } from './process.js';

export interface DataDirLock {
  release(): void;
}

/** Start time of a process in clock ticks since boot (Linux), '' when unknown: a pid alone may have been reused. */
export function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields restart after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

interface Owner {
  pid: number;
  start: string;
}

function parseOwner(content: string): Owner | undefined {
  const [pid, start = ''] = content.trim().split(/\s+/);
  const n = Number.parseInt(pid ?? '', 10);
  return Number.isInteger(n) && n > 0 ? { pid: n, start } : undefined;
}

function ownerAlive(owner: Owner): boolean {
  if (owner.pid === process.pid || !isAlive(owner.pid)) return false;
  const start = processStartTime(owner.pid);
  return owner.start === '' || start === '' || start === owner.start;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Creates `file` with its whole content at once, or returns false if it exists.
 * A plain open('wx') + write leaves an instant where the file is empty, and a
 * concurrent starter would take that empty lock for a stale one.
 */
function createAtomically(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Removes a stale lock, unless another starter replaced it meanwhile. Without
 * the takeover guard, two starters that both saw the same dead owner could each
 * remove the lock the other one had just taken.
 */
function removeStale(file: string, staleContent: string): void {
  const guard = `${file}.takeover`;
  if (!createAtomically(guard, String(process.pid))) {
    // A takeover guard outlives its starter only if that one was killed mid-takeover.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) unlinkSync(guard);
    } catch {
      /* gone meanwhile */
    }
    sleepSync(50);
    return;
  }
  try {
    if (readFileSafe(file) === staleContent) unlinkSync(file);
  } catch {
    /* removed meanwhile */
  } finally {
    unlinkSync(guard);
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'vigie.lock');
  const mine = `${process.pid} ${processStartTime(process.pid)}\n`;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createAtomically(file, mine)) return holding(file, mine);
    const content = readFileSafe(file);
    const owner = parseOwner(content);
    if (owner && ownerAlive(owner)) {
      throw new StartupError(
        `Vigie is already running from ${dataDir} (pid ${owner.pid}): stop it first, or set VIGIE_DATA_DIR to another folder.`,
      );
    }
    // Left behind by a killed run: the owner is gone, take the lock over.
    removeStale(file, content);
  }
  throw new StartupError(`Could not take the lock ${file}: another Vigie is starting from the same folder.`);
}

function holding(file: string, mine: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (readFileSafe(file) === mine) {
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  };
  // A crash or a forced exit still frees the folder for the next start.
  process.once('exit', release);
  return { release };
}
