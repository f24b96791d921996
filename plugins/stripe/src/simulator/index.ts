export type { FormObject, FormValue } from './form-body.js';
export { parseFormBody } from './form-body.js';
export type { SimCharge, SimIntent, SimRefund, SimSession } from './simulator-objects.js';
export type { RecordedRequest, StripeSimulator, StripeSimulatorOptions } from './stripe-simulator.js';
export {
  createStripeSimulator,
  SIMULATOR_SECRET_KEY,
  SIMULATOR_WEBHOOK_SECRET,
} from './stripe-simulator.js';
export type { DeliveryAttempt, WebhookEndpoint } from './webhook-delivery.js';
export { stripeRetryDelaysMs } from './webhook-delivery.js';
