import { z } from '@hono/zod-openapi';
import {
  completedFilterStatuses,
  type DomainError,
  type PaymentStatus,
  parseCurrency,
  parseMoney,
  paymentStatuses,
} from '@paylinks/core';
import { contacts, paymentLinks, payments } from '@paylinks/db';
import { and, eq, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { domainProblem } from '../http/domain-problem.js';
import { ProblemError } from '../http/problem.js';
import { text } from '../http/text-schema.js';

export const statusFilterValues = [...paymentStatuses, 'completed'] as const;
const statusFilter = z.enum(statusFilterValues);

/** The Payments section's filters, shared by the list and the CSV export. */
export const paymentFiltersSchema = z.object({
  status: z
    .union([statusFilter, z.array(statusFilter).max(statusFilterValues.length)])
    .optional()
    .openapi({
      description: 'Repeat for several. `completed` means Complete or Confirmed by team member.',
    }),
  methodId: z.uuid().optional(),
  currency: text({ max: 3, trim: false }).optional().openapi({ example: 'EUR' }),
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'Created at or after (inclusive)' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created before (exclusive)' }),
  contactId: z.uuid().optional(),
  dealId: z.uuid().optional(),
  minAmount: text({ max: 40, trim: false })
    .optional()
    .openapi({ description: 'Decimal string; needs `currency`' }),
  maxAmount: text({ max: 40, trim: false })
    .optional()
    .openapi({ description: 'Decimal string; needs `currency`' }),
  q: text({ max: 200 })
    .optional()
    .openapi({ description: 'Text in the description, payer name or email, or contact name' }),
});

export type PaymentFiltersInput = z.infer<typeof paymentFiltersSchema>;

/** Builds the WHERE conditions; refuses combinations zod cannot express with a 422 problem. */
export function paymentFilterConditions(workspaceId: string, input: PaymentFiltersInput): SQL[] {
  const conditions: SQL[] = [eq(payments.workspaceId, workspaceId)];
  const statuses = statusList(input.status);
  if (statuses) conditions.push(inArray(payments.status, statuses));
  if (input.methodId) conditions.push(eq(payments.methodId, input.methodId));
  if (input.contactId) conditions.push(eq(payments.contactId, input.contactId));
  if (input.dealId) conditions.push(eq(payments.dealId, input.dealId));

  let currency: string | undefined;
  if (input.currency !== undefined) {
    const parsed = parseCurrency(input.currency);
    if (!parsed.ok) throw domainProblem(parsed.error);
    currency = parsed.value;
    conditions.push(eq(payments.currency, currency));
  }
  const min = amountBound(input.minAmount, currency, 'minAmount');
  const max = amountBound(input.maxAmount, currency, 'maxAmount');
  if (min !== undefined && max !== undefined && min > max) {
    throw rangeProblem('maxAmount', 'maxAmount must not be below minAmount.');
  }
  if (min !== undefined) conditions.push(gte(payments.amountMinor, min));
  if (max !== undefined) conditions.push(lte(payments.amountMinor, max));

  const from = input.from === undefined ? undefined : new Date(input.from);
  const to = input.to === undefined ? undefined : new Date(input.to);
  if (from && to && from >= to) throw rangeProblem('to', '`to` must be after `from`.');
  if (from) conditions.push(gte(payments.createdAt, from));
  if (to) conditions.push(lt(payments.createdAt, to));

  if (input.q) {
    const pattern = `%${escapeLike(input.q)}%`;
    conditions.push(
      or(
        sql`${payments.description} ilike ${pattern} escape '\\'`,
        sql`${paymentLinks.payerName} ilike ${pattern} escape '\\'`,
        sql`${paymentLinks.payerEmail} ilike ${pattern} escape '\\'`,
        sql`${contacts.name} ilike ${pattern} escape '\\'`,
      )!,
    );
  }
  return conditions;
}

export function filterWhere(workspaceId: string, input: PaymentFiltersInput): SQL {
  return and(...paymentFilterConditions(workspaceId, input))!;
}

function statusList(status: PaymentFiltersInput['status']): PaymentStatus[] | undefined {
  if (status === undefined) return undefined;
  const wanted = Array.isArray(status) ? status : [status];
  const expanded = wanted.flatMap((s) => (s === 'completed' ? [...completedFilterStatuses] : [s]));
  return [...new Set(expanded)];
}

function amountBound(value: string | undefined, currency: string | undefined, field: string) {
  if (value === undefined) return undefined;
  if (currency === undefined) {
    throw new ProblemError(422, {
      code: 'currency_required',
      field: 'currency',
      message: 'An amount range needs a currency: amounts in different currencies do not compare.',
    });
  }
  const money = parseMoney(value, currency);
  if (!money.ok) throw domainProblem(renamed(money.error, field));
  return money.value.minor;
}

function renamed(error: DomainError, field: string): DomainError {
  return error.field === 'amount' ? { ...error, field } : error;
}

function rangeProblem(field: string, message: string): ProblemError {
  return new ProblemError(422, { code: 'invalid_range', field, message });
}

/** `%`, `_` and the escape character itself match literally in the user's text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
