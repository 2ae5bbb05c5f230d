export { FileNotFoundError, isFileNotFound, readAll, type FileStore, type PutOptions } from './store.js';
export { localDiskStore } from './local-disk.js';
export { s3Store, type S3StoreOptions } from './s3.js';
export { tenantFiles, newFileKey, tenantFileKey } from './tenant-files.js';
export { createFileStore, type FilesConfig } from './config.js';
export {
  sniffUpload,
  inspectUpload,
  uploadError,
  wasTruncated,
  UploadInspector,
  type UploadMime,
  type UploadRules,
  type UploadCodes,
} from './uploads.js';
export { signLink, checkLink, type LinkKind, type LinkSubject } from './signed-links.js';
export {
  stripImageMetadata,
  stripJpegMetadata,
  stripPngMetadata,
  ImageMetadataError,
} from './image-metadata.js';
