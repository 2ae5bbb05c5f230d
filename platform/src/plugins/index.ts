// The plugins module's public face: other modules import it from here only.
export type {
  ActivityFn,
  DemoResident,
  DisplayNames,
  MembershipEndedEvent,
  MembershipEndedHook,
  PermissionDef,
  PersonalDataKind,
  PluginGraphql,
  VigiePlugin,
  WorkerContribution,
} from './contract.js';
export type { PlatformServices, PhoneCallRequest, PhoneCallStatus } from './api.js';
export { sortByDependencies } from './contract.js';
export { createPlatformServices } from './services.js';
