// One Vigie per data directory. Two starts on the same .vigie/ would otherwise
// race on initdb and on the Temporal SQLite file; the second one is refused.
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from './errors.js';
import { isAlive } from './process.js';

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'vigie.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSafe(file), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StartupError(`Vigie is already running from ${dataDir} (pid ${owner}): stop it first, or set VIGIE_DATA_DIR to another folder.`);
      }
      // Left behind by a killed run: the owner is gone, take the lock over.
      try {
        unlinkSync(file);
      } catch {
        /* another starter removed it first; retry */
      }
    }
  }
  throw new StartupError(`Could not take the lock ${file}: another Vigie is starting from the same folder.`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
