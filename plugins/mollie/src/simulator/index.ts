export type { MollieSimulator, MollieSimulatorOptions, RecordedRequest } from './mollie-simulator.js';
export { startMollieSimulator } from './mollie-simulator.js';
export type { CheckoutOutcome } from './simulator-checkout-page.js';
export { CHECKOUT_OUTCOMES } from './simulator-checkout-page.js';
export type { SimulatedPayment, SimulatedRefund } from './simulator-store.js';
export { createTestCertificate, trustCertificateInThisProcess } from './test-certificate.js';
export type { DeliverWebhook, WebhookDelivery, WebhookSender } from './webhook-sender.js';
export { MOLLIE_RETRY_GAPS_MS } from './webhook-sender.js';
