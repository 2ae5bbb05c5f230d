// The billing module's public face: other modules import it from here only.
export { billingModule } from './module.js';
export { loadPriceList, publicPriceList, tierForPopulation } from './price-list.js';
export type { PriceList, PriceTier } from './price-list.js';
export {
  findStripeMock,
  signedEvent,
  startStripeStandIn,
  waitForStripeMock,
  type StripeStandIn,
} from './standin.js';
