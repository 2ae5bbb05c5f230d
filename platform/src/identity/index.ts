// The identity module's public face: other modules import it from here only.
export { SESSION_COOKIE, principalFromToken } from './sessions.js';
export type { AccountPrincipal, Role, Scope } from './permissions.js';
export type { Limit } from './ratelimit.js';
export { PermissionRegistry, STAFF_ROLES, corePermissions } from './permissions.js';
export { LIMITS, RateLimiter } from './ratelimit.js';
export { verifyPassword } from './passwords.js';
export {
  createAccount,
  createResidentAccount,
  grantRole,
  normalizeDisplayName,
  normalizeEmail,
  normalizePhone,
  revokeRole,
  sendInvitation,
  type AccountRow,
  type AccountWithEmail,
} from './accounts.js';
export { channelMessenger } from './messages.js';
export type { AccountMessenger } from './messages.js';
export { portalUrl } from './links.js';
export { identityModule } from './module.js';
export { DEMO_OPERATOR, ensureDemoOperator, demoOperatorCode } from './demo-operator.js';
