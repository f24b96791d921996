import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SandboxCheckout } from './sandbox-ledger.js';
import { toSandboxAmount } from './sandbox-money.js';
import { type SandboxStatus, sandboxStatuses } from './sandbox-status.js';

export const SANDBOX_EVENT_TYPE = 'checkout.updated';

/** The webhook body on the wire; snake_case like the providers it imitates. */
export const sandboxWebhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  created: z.number().int().nonnegative(),
  data: z.object({
    reference: z.string().min(1),
    payment_id: z.string(),
    status: z.enum(sandboxStatuses),
    amount: z.string(),
    currency: z.string(),
    card: z.object({ last4: z.string(), brand: z.string() }).optional(),
  }),
});

export type SandboxWebhookEvent = z.infer<typeof sandboxWebhookEventSchema>;

/**
 * A new event (new id) reporting `status` for a checkout. Retries and duplicates of one delivery
 * reuse the serialised body, so they keep the id and the app deduplicates them.
 */
export function createSandboxWebhookEvent(
  checkout: SandboxCheckout,
  status: SandboxStatus,
  createdAt: Date,
  id: string = `evt_${randomUUID()}`,
): { id: string; body: string } {
  const event: SandboxWebhookEvent = {
    id,
    type: SANDBOX_EVENT_TYPE,
    created: Math.floor(createdAt.getTime() / 1000),
    data: {
      reference: checkout.reference,
      payment_id: checkout.paymentId,
      status,
      ...toSandboxAmount(checkout.amount),
      ...(checkout.card ? { card: checkout.card } : {}),
    },
  };
  return { id, body: JSON.stringify(event) };
}
