import { deals, type PaylinksExecutor, paymentLinks, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { ProblemDetail } from '../http/problem.js';
import { ProblemError } from '../http/problem.js';

interface Holders {
  deals: number;
  paymentLinks: number;
  payments: number;
}

/** What still points at a contact; deleted links count too, because they stay in payment history. */
export async function countContactHolders(
  db: PaylinksExecutor,
  workspaceId: string,
  contactId: string,
): Promise<Holders> {
  const [dealCount, linkCount, paymentCount] = await Promise.all([
    db.$count(deals, and(eq(deals.workspaceId, workspaceId), eq(deals.contactId, contactId))),
    db.$count(
      paymentLinks,
      and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.contactId, contactId)),
    ),
    db.$count(payments, and(eq(payments.workspaceId, workspaceId), eq(payments.contactId, contactId))),
  ]);
  return { deals: dealCount, paymentLinks: linkCount, payments: paymentCount };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * Deleting a contact never cascades: its deals, links and payments are the team's money trail.
 * The refusal names each holder so the user knows what to move or delete first.
 */
export function contactInUse(holders: Holders): ProblemError {
  const errors: ProblemDetail[] = [];
  if (holders.deals > 0)
    errors.push({ code: 'held_by_deals', field: 'deals', message: plural(holders.deals, 'deal', 'deals') });
  if (holders.paymentLinks > 0)
    errors.push({
      code: 'held_by_payment_links',
      field: 'paymentLinks',
      message: plural(holders.paymentLinks, 'payment link', 'payment links'),
    });
  if (holders.payments > 0)
    errors.push({
      code: 'held_by_payments',
      field: 'payments',
      message: plural(holders.payments, 'payment', 'payments'),
    });
  const held = errors.length > 0 ? errors.map((e) => e.message).join(', ') : 'other records';
  return new ProblemError(
    409,
    {
      code: 'contact_in_use',
      field: 'id',
      message: `This contact still has ${held}; delete or move them first.`,
    },
    errors.length > 0 ? errors : undefined,
  );
}

export function hasHolders(holders: Holders): boolean {
  return holders.deals + holders.paymentLinks + holders.payments > 0;
}
