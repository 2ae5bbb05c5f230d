// The web module's public face: other modules import it from here only.
export { isPageRequest, loadWebAssets, sendShell, webAssetRoutes } from './assets.js';
export { sendNoPortal } from './no-portal.js';
export type { WebAssets } from './assets.js';
export { printVigieSchema } from './schema.js';
export { ensureWebBuilt } from './build.js';
