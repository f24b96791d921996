import { z } from '@hono/zod-openapi';
import { createMoney, linkOrigins, paymentStatuses } from '@paylinks/core';
import { type EventType, eventTypes } from '@paylinks/db';
import { moneySchema, presentMoney } from '../http/money-schema.js';

/**
 * Each event type's `data`, twice: the public shape (documented, delivered) and the stored shape
 * the outbox row holds. Events are written inside SQL statements (a click-through, a transition), so
 * the stored shape is what SQL can build: money as minor units, times as PostgreSQL prints them.
 * Parsing a stored payload with `storedEventData[type]` yields the public shape.
 */

export { type EventType, eventTypes };

const status = z.enum(paymentStatuses);
export const paymentFlags = ['late', 'duplicate'] as const;
export type PaymentFlag = (typeof paymentFlags)[number];

const time = z.iso.datetime();
const storedTime = z.string().transform((value, ctx) => {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a time: ${value}` });
    return z.NEVER;
  }
  return at.toISOString();
});

/** Money stored as `{ minor: "1050", currency: "EUR" }`; answered as the API's decimal string. */
const storedMoney = z
  .object({ minor: z.string().regex(/^\d+$/), currency: z.string() })
  .transform((value, ctx) => {
    const money = createMoney(BigInt(value.minor), value.currency);
    if (!money.ok) {
      ctx.addIssue({ code: 'custom', message: `not an amount: ${value.minor} ${value.currency}` });
      return z.NEVER;
    }
    return presentMoney(money.value);
  });

function paymentShape<M extends z.ZodType, T extends z.ZodType>(money: M, at: T) {
  return z.object({
    id: z.uuid(),
    status,
    amount: money,
    description: z.string(),
    linkId: z.uuid(),
    contactId: z.uuid(),
    dealId: z.uuid().nullable(),
    methodId: z.uuid(),
    late: z.boolean(),
    duplicate: z.boolean(),
    createdAt: at,
    statusChangedAt: at,
  });
}

function linkShape<M extends z.ZodType, T extends z.ZodType>(money: M, at: T) {
  return z.object({
    id: z.uuid(),
    origin: z.enum(linkOrigins),
    type: z.string(),
    description: z.string(),
    amount: money,
    methodId: z.uuid(),
    contactId: z.uuid(),
    dealId: z.uuid().nullable(),
    validityDays: z.number().int().nullable(),
    expiresAt: at.nullable(),
    createdAt: at,
    deletedAt: at.nullable(),
  });
}

function dealShape<M extends z.ZodType, T extends z.ZodType>(money: M, at: T) {
  return z.object({
    id: z.uuid(),
    title: z.string(),
    contactId: z.uuid(),
    pipelineId: z.uuid(),
    stageId: z.uuid(),
    amount: money.nullable(),
    createdAt: at,
  });
}

/** `documented`: the public shapes get names in the OpenAPI document; the stored ones stay out of it. */
function dataShapes<M extends z.ZodType, T extends z.ZodType>(money: M, at: T, documented: boolean) {
  const named = <S extends z.ZodType>(schema: S, name: string) =>
    documented ? schema.openapi(name) : schema;
  const payment = named(paymentShape(money, at), 'EventPayment');
  const link = named(linkShape(money, at), 'EventLink');
  const deal = named(dealShape(money, at), 'EventDeal');
  return {
    'payment.created': z.object({ payment }),
    'payment.status_changed': z.object({ payment, from: status, to: status }),
    'payment.flagged': z.object({ payment, flag: z.enum(paymentFlags) }),
    'link.created': z.object({ link }),
    'link.deleted': z.object({ link }),
    // expiresAt names the expiry announced: a link whose validity is extended may expire again.
    'link.expired': z.object({ link, expiresAt: at }),
    'deal.created': z.object({ deal, paymentId: z.uuid(), linkId: z.uuid() }),
  } satisfies Record<EventType, z.ZodType>;
}

const descriptions: Record<EventType, string> = {
  'payment.created':
    'A payment was recorded in Processing: a payer opened a payment link (a click-through), or a team ' +
    'member confirmed money for a link nobody had opened (its status change follows).',
  'payment.status_changed': "A payment's status changed; `from` and `to` name the statuses.",
  'payment.flagged':
    'A payment was flagged for the team: `late` (paid after its link expired or was deleted) or ' +
    '`duplicate` (a second success on a deal link that was already paid; refund it).',
  'link.created': 'A payment link was created.',
  'link.deleted': 'A payment link was deleted.',
  'link.expired': "A payment link's validity ended; it no longer accepts payments.",
  'deal.created': "A contact link's payment created its deal.",
};

const publicShapes = dataShapes(moneySchema, time, true);
const storedShapes = dataShapes(storedMoney, storedTime, false);

/** `payment.status_changed` → `PaymentStatusChanged`: how the OpenAPI document names its schemas. */
export function eventTypeName(type: EventType): string {
  return type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The public `data` of each event type, named for the OpenAPI document. */
export const eventDataSchemas = Object.fromEntries(
  eventTypes.map((type) => [
    type,
    publicShapes[type].openapi(`${eventTypeName(type)}EventData`, { description: descriptions[type] }),
  ]),
) as { [T in EventType]: (typeof publicShapes)[T] };

/** Parses an outbox row's payload into the public `data` of its type. */
export const storedEventData = storedShapes;

export type EventData<T extends EventType> = z.output<(typeof publicShapes)[T]>;

export function eventDescription(type: EventType): string {
  return descriptions[type];
}
