// The contracts of the plugin's workflows (names, inputs, signals), shared by
// the workflow code and the plugin's server code.
export * from './referent-selection/contract.js';
export * from './event-reminders/contract.js';
