import type { Result } from './domain-error.js';
import type { Money } from './money.js';
import type { PaymentStatus } from './payment-status.js';

/** One choice a link form offers, e.g. a paid course. */
export type PaymentTypeOption = {
  id: string;
  label: string;
  /** Shown in the form; the authoritative amount comes from applyOption. */
  amount?: Money;
};

export type PaymentTypeContext = { workspaceId: string; locale: string };

export type AppliedPaymentOption = { amount: Money; description: string };

export type PaymentTypeHookEvent = {
  workspaceId: string;
  paymentId: string;
  linkId: string;
  optionId: string;
  status: PaymentStatus;
  amount: Money;
  payerEmail: string;
  payerName?: string;
};

// HookContext is whatever the app hands a plugin to act with (e.g. the open transaction), left to
// the app because plugins may not import @paylinks/db.
export type PaymentType<HookContext = unknown> = {
  id: string;
  label: string;
  options(ctx: PaymentTypeContext): Promise<readonly PaymentTypeOption[]>;
  // Takes an id, not an option object, and may fail: the form posts an id, and the option may have
  // been withdrawn between rendering the form and submitting it (`unknown_payment_option`).
  applyOption(input: PaymentTypeContext & { optionId: string }): Promise<Result<AppliedPaymentOption>>;
  /** Runs in the same transaction as the status change, once per change into a successful status. */
  onCompleted?(event: PaymentTypeHookEvent, context: HookContext): Promise<void>;
  onReturned?(event: PaymentTypeHookEvent, context: HookContext): Promise<void>;
};

export type PaymentTypeFactory<Options = void, HookContext = unknown> = (
  options: Options,
) => PaymentType<HookContext>;
