export type { CardBrand, CardSummary, SandboxCardFields } from './sandbox-cards.js';
export { testCards } from './sandbox-cards.js';
export type { SandboxCredentials } from './sandbox-credentials.js';
export { generateWebhookSecret, sandboxCredentialsSchema } from './sandbox-credentials.js';
export type {
  SandboxCheckout,
  SandboxLedger,
  SandboxLedgerOptions,
  SandboxRefund,
} from './sandbox-ledger.js';
export { createSandboxLedger, DEFAULT_MAX_SANDBOX_CHECKOUTS } from './sandbox-ledger.js';
export type { SandboxAmount } from './sandbox-money.js';
export { fromSandboxAmount, toSandboxAmount } from './sandbox-money.js';
export type { SandboxProvider, SandboxProviderOptions } from './sandbox-provider.js';
export { createSandboxProvider } from './sandbox-provider.js';
export { createSandboxReference, isSandboxReference } from './sandbox-reference.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
  verifySandboxSignature,
} from './sandbox-signature.js';
export type { SandboxStatus } from './sandbox-status.js';
export { sandboxStatuses, toPaymentStatus } from './sandbox-status.js';
export type { SandboxWebhookEvent } from './sandbox-webhook-event.js';
export { createSandboxWebhookEvent, SANDBOX_EVENT_TYPE } from './sandbox-webhook-event.js';
export type {
  DeliverWebhook,
  DeliveryBehaviour,
  DeliveryOutcome,
  OutgoingWebhook,
  ReleaseOrder,
  RetryPolicy,
  SandboxWebhookSender,
  SandboxWebhookSenderOptions,
  WebhookRequest,
} from './sandbox-webhook-sender.js';
export {
  createSandboxWebhookSender,
  defaultRetryPolicy,
  deliverWithFetch,
  retryDelayMs,
} from './sandbox-webhook-sender.js';
