// Which file store this process uses. Local disk is the default (single
// machine, tests); S3-compatible storage is switched on with VIGIE_FILES=s3.
// The variables are read and validated with the rest of the configuration
// (config/config.ts, ENV_VARS), so a wrong value stops the start-up.
import type { FilesConfig } from '../config/config.js';
import { localDiskStore } from './local-disk.js';
import { s3Store } from './s3.js';
import type { FileStore } from './store.js';

export type { FilesConfig };

export function createFileStore(files: FilesConfig): FileStore {
  if (files.backend === 'local') return localDiskStore(files.dir);
  return s3Store({
    bucket: files.bucket,
    region: files.region,
    ...(files.endpoint ? { endpoint: files.endpoint } : {}),
    prefix: files.prefix,
  });
}
