// The http module's public face: other modules import it from here only.
export { requestContextModule, requireTenant, sessionCookieOptions, tenantTx } from './context.js';
