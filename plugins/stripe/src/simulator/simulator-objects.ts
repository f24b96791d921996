import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

export type SimSession = {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid';
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  customer_email: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  created: number;
  url: string | null;
  payment_intent: string | null;
  livemode: boolean;
  /** Not Stripe's: what the checkout page shows, and the intent's metadata to come. */
  description: string;
  intentMetadata: Record<string, string>;
};

export type SimIntent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: Json | null;
  created: number;
  livemode: boolean;
};

export type SimCharge = {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  paid: boolean;
  refunded: boolean;
  status: 'succeeded' | 'failed';
  metadata: Record<string, string>;
  created: number;
  livemode: boolean;
};

export type SimRefund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: 'succeeded' | 'pending' | 'failed';
  metadata: Record<string, string>;
  created: number;
};

export const simId = (prefix: string) =>
  `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Stripe's error body; the SDK picks the error class from the HTTP status. */
export function stripeErrorBody(type: string, message: string, extra: Json = {}): Json {
  return { error: { type, message, ...extra } };
}

/** Only the fields of a session Stripe returns (the simulator's own fields stay inside). */
export function publicSession(session: SimSession): Json {
  const { description: _description, intentMetadata: _intentMetadata, ...rest } = session;
  return rest;
}
