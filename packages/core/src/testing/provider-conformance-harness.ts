import type { Money } from '../money.js';
import type { PaymentProvider } from '../payment-provider.js';
import type { PaymentStatus } from '../payment-status.js';

/** A webhook exactly as the app receives it: lower-cased header names and the raw body. */
export type ConformanceWebhook = { rawBody: string; headers: Readonly<Record<string, string>> };

type MaybePromise<T> = T | Promise<T>;

/**
 * One fresh provider with everything the suite needs to drive it honestly. `setup` builds one per
 * test, so tests cannot lean on each other's checkouts; keep expensive things (a local simulator
 * server) outside and reuse them.
 */
export type ProviderConformanceContext<C, F, S extends string> = {
  provider: PaymentProvider<C, F>;
  /** Valid credentials, as the app stores them (the output of credentialsSchema). */
  credentials: C;
  /** The instant the provider lives in: webhooks are parsed at `now`, and signed relative to it. */
  now: Date;
  /** Fields that let a checkout go through, for providers that collect some on our page. */
  checkoutFields?: F;
  /**
   * A correctly signed webhook saying that a checkout this provider created now has `status`. For a
   * provider that re-fetches (webhookAuthentication 'refetch'), it also moves the checkout to
   * `status` at the provider (its simulator), since such a webhook only names the checkout.
   */
  signWebhook(input: {
    providerReference: string;
    status: S;
    signedAt: Date;
  }): MaybePromise<ConformanceWebhook>;
  /** A correctly signed webhook about a payment this provider never created. */
  signForeignWebhook(input: { status: S; signedAt: Date }): MaybePromise<ConformanceWebhook>;
  /**
   * The same webhook with its content changed (still well-formed) and its signature kept. For a
   * 'refetch' provider: the body names a payment the provider never created (a forged id).
   */
  tamper(webhook: ConformanceWebhook): ConformanceWebhook;
  /** The same webhook with its signature removed and its body kept (unused for 'refetch' providers). */
  unsign(webhook: ConformanceWebhook): ConformanceWebhook;
  /**
   * Pays a checkout this provider started, as the payer would on the provider's page. Needed by a
   * provider with refunds whose startCheckout does not already answer with an immediate success.
   */
  payCheckout?(providerReference: string): MaybePromise<void>;
  /**
   * The refunds the provider (its simulator) holds for a checkout, oldest first, read from its own
   * records as literally as possible (its amount digits and currency code), so the suite sees the
   * money conversion the plugin did. Optional, but without it a refund off by a factor of 100 passes.
   */
  refundsAt?(providerReference: string): MaybePromise<readonly Money[]>;
};

export type ProviderConformanceHarness<C, F, S extends string> = {
  /**
   * Every status the provider reports, and the core status it must become: the documented table.
   * A Record over the provider's status union, so a status added to the union without a row here
   * is a compile error rather than an unchecked gap.
   */
  statusTable: Readonly<Record<S, PaymentStatus>>;
  /** The plugin's own mapping function, checked against the table row by row. */
  mapStatus(status: S): PaymentStatus;
  /**
   * How webhooks are proven authentic. 'signature' (the default): a signature over the body with a
   * timestamp, checked against `webhookToleranceMs`. 'refetch': the webhook is unsigned and only
   * names a payment, which the provider fetches again with its credentials (Mollie); the suite then
   * checks that forged ids and unreadable bodies change nothing and that the state reported is the
   * one fetched, not the one the webhook was sent for, instead of signatures and signing times.
   */
  webhookAuthentication?: 'signature' | 'refetch';
  /** How far a webhook's signing time may be from `now` and still be accepted ('signature' only). */
  webhookToleranceMs: number;
  /** Credentials the schema must refuse, on top of the suite's own obviously wrong values. */
  invalidCredentials: readonly unknown[];
  setup(): MaybePromise<ProviderConformanceContext<C, F, S>>;
};
