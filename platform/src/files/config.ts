// Which file store this process uses. Local disk is the default (single
// machine, tests); S3-compatible storage is switched on with VIGIE_FILES=s3.
// These variables belong in config/config.ts's ENV_VARS table; they are read
// here until the lead folds them in (see the residents report).
import path from 'node:path';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { localDiskStore } from './local-disk.js';
import { s3Store } from './s3.js';
import type { FileStore } from './store.js';

export type FilesConfig =
  | { backend: 'local'; dir: string }
  | { backend: 's3'; bucket: string; region: string; endpoint: string | undefined; prefix: string };

export const FILES_ENV_VARS = [
  { name: 'VIGIE_FILES', default: 'local', description: 'file store for proofs of address: local (disk) or s3 (S3-compatible object storage)' },
  { name: 'VIGIE_FILES_DIR', default: '<VIGIE_DATA_DIR>/files', description: 'directory of the local file store' },
  { name: 'S3_BUCKET', default: '(none)', description: 'private bucket of the S3 file store (required with VIGIE_FILES=s3)' },
  { name: 'S3_REGION', default: 'eu-west-3', description: 'region of the S3 bucket' },
  { name: 'S3_ENDPOINT', default: '(AWS)', description: 'endpoint of an S3-compatible provider (Scaleway, OVHcloud, MinIO)' },
  { name: 'S3_PREFIX', default: '(none)', description: 'key prefix inside the bucket' },
];

export function loadFilesConfig(config: Pick<Config, 'dataDir' | 'env'>, env: Record<string, string | undefined> = process.env): FilesConfig {
  const backend = env.VIGIE_FILES || 'local';
  if (backend === 'local') return { backend, dir: path.resolve(env.VIGIE_FILES_DIR || path.join(config.dataDir, 'files')) };
  if (backend !== 's3') throw new ConfigError('VIGIE_FILES', `must be local or s3, got "${backend}"`);
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when VIGIE_FILES=s3');
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint && config.env === 'production' && !endpoint.startsWith('https://')) throw new ConfigError('S3_ENDPOINT', 'must use https in production');
  return { backend, bucket, region: env.S3_REGION || 'eu-west-3', endpoint, prefix: env.S3_PREFIX || '' };
}

export function createFileStore(files: FilesConfig): FileStore {
  if (files.backend === 'local') return localDiskStore(files.dir);
  return s3Store({ bucket: files.bucket, region: files.region, ...(files.endpoint ? { endpoint: files.endpoint } : {}), prefix: files.prefix });
}
