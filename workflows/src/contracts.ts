// Contracts only: types and constants shared with the platform and plugins.
export * from './retention-sweep/contract.js';
export * from './shared.js';
export * from './address-verification/contract.js';
export * from './alert-delivery/contract.js';
export * from './billing-grace/contract.js';
export * from './billing-grace/invoices-contract.js';
export * from './billing-grace/sms-usage-contract.js';
export * from './billing-deletion/contract.js';
export * from './notice-delivery/contract.js';
export * from './phone-call/contract.js';
