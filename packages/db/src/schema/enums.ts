import { linkOrigins, paymentStatuses } from '@paylinks/core';
import { pgEnum } from 'drizzle-orm/pg-core';

// The values come from core, so a status added there shows up as a schema change in drizzle-kit.
export const paymentStatus = pgEnum('payment_status', paymentStatuses);

export const linkOrigin = pgEnum('link_origin', linkOrigins);

export const paymentMethodMode = pgEnum('payment_method_mode', ['test', 'live']);

/** Who caused an audit event; one value per path that may touch a payment. */
export const paymentEventSource = pgEnum('payment_event_source', [
  'click_through',
  'checkout',
  'redirect',
  'webhook',
  'reconciliation',
  'team_member',
  'system',
]);

export const webhookOutcome = pgEnum('webhook_outcome', ['applied', 'ignored', 'refused', 'failed']);
