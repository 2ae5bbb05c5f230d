// The calls module's public face: other modules import it from here only.
export { callsModule } from './module.js';
export { forgetPhoneCalls, placePhoneCall, phoneCallStatus } from './place.js';
