// The alerts module's public face for composition roots and tools.
export { alertsModule, type AlertsService } from './module.js';
export { DEFAULT_SEND_RATES, type SendRates } from './rates.js';
/** The commune's alert settings, with the calling hours, retry delay and attempts of voice calls. */
export { alertSettings } from './settings.js';
export { alertsServices, type AlertEvents } from './events.js';
export { seedCategories, DEFAULT_CATEGORIES } from './categories.js';
/** The core's statistics source (the console's figures on alerts, delivery, members and SMS). */
export { alertsStatistics } from './statistics.js';

/**
 * Benchmarks only: the delivery harness with its local provider stand-ins.
 * Loaded on demand, so that production never loads the stand-ins' dev dependencies.
 */
export const loadBenchRig = () => import('./testing/bench-rig.js');
export {
  changeAlertStatus,
  checkSectors,
  communityOf,
  getAlert,
  isRecipient,
  listAlerts,
  parseRaiseAlertInput,
  toAlert,
} from './alerts.js';
export type { Alert, AlertClosure, AlertRow, AlertStatus } from './alerts.js';
export { appendToAlert, recordAlert } from './raise.js';
export { alertInApp } from './messages.js';
export { alertsErrors, fail } from './errors.js';
export { listCategories } from './categories.js';
export type { Category } from './categories.js';
