// The residents module's public face: other modules import it from here only.
export { residentsModule } from './module.js';
export { activeResidence, resolveAddress } from './residences.js';
export { eraseAccountEverywhere } from './erasure.js';
export { residentsServices } from './hooks.js';
export { registerAtCounter, type CounterRegistered, type CounterRegistration } from './counter.js';
export { COUNTER_PROOF_KINDS, type CounterProofKind } from './proof-kinds.js';
