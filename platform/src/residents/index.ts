// The residents module's public face: other modules import it from here only.
export { residentsModule } from './module.js';
export { activeResidence, resolveAddress } from './residences.js';
