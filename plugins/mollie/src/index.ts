export type { MollieClientFactory } from './mollie-client.js';
export { mollieClientFactory } from './mollie-client.js';
export type { MollieCredentials, MollieMode } from './mollie-credentials.js';
export { mollieCredentialsSchema, mollieModeOf } from './mollie-credentials.js';
export { toProviderError } from './mollie-errors.js';
export type { MollieAmount } from './mollie-money.js';
export {
  fromMollieAmount,
  mollieCurrencies,
  mollieCurrencyDecimals,
  toMollieAmount,
} from './mollie-money.js';
export { eventIdOf, PAYMENT_ID_METADATA_KEY } from './mollie-payment-event.js';
export type { MollieProvider, MollieProviderOptions } from './mollie-provider.js';
export { createMollieProvider } from './mollie-provider.js';
export type { MollieObservation, MollieStatus } from './mollie-status.js';
export { mollieObservations, mollieStatuses, observe, toPaymentStatus } from './mollie-status.js';
