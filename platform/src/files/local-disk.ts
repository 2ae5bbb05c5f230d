// The default adapter: files on the local disk, under <VIGIE_DATA_DIR>/files.
// A put writes to a `.part` file beside its destination and renames it only
// once the body has been read to its end, so a reader (or a crash) never sees
// half a file, and a failed body removes its `.part`.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, FileNotFoundError, type FileStore, type PutOptions } from './store.js';

export function localDiskStore(root: string): FileStore {
  const resolve = (key: string) => {
    assertValidKey(key);
    return path.join(root, ...key.split('/'));
  };
  return {
    async put(key: string, body: Readable | Buffer, _opts?: PutOptions) {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      // The body may fail while the directory is being created, before the
      // pipeline listens: keep that error instead of letting it go uncaught.
      let early: Error | undefined;
      const keep = (err: Error) => {
        early ??= err;
      };
      source.on('error', keep);
      const dest = resolve(key);
      try {
        await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      } finally {
        source.off('error', keep);
      }
      if (early) {
        source.destroy();
        throw early;
      }
      const part = `${dest}.part-${randomBytes(6).toString('hex')}`;
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          cb(null, chunk);
        },
      });
      try {
        await pipeline(source, counter, createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true }));
        await rename(part, dest);
      } catch (err) {
        await rm(part, { force: true });
        throw err;
      }
      return { size };
    },
    async get(key: string) {
      const file = resolve(key);
      try {
        await stat(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(key);
        throw err;
      }
      return createReadStream(file);
    },
    async delete(key: string) {
      await rm(resolve(key), { force: true });
    },
    async exists(key: string) {
      try {
        return (await stat(resolve(key))).isFile();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
  };
}
