// Every workflow function the worker registers. The worker bundles this file once
// at start-up; nothing here may touch I/O, the clock or randomness directly.
export { retentionSweep } from './retention-sweep/workflow.js';
export { addressVerification } from './address-verification/workflow.js';
export { referentSelection } from './referent-selection/workflow.js';
export { eventReminder } from './event-reminders/workflow.js';
export { alertDelivery, alertDeliveryBatch, alertHousekeeping } from './alert-delivery/workflow.js';
