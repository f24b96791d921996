import { z } from '@hono/zod-openapi';
import type { events } from '@paylinks/db';
import {
  type EventData,
  type EventType,
  eventDataSchemas,
  eventTypeName,
  eventTypes,
  storedEventData,
} from './event-types.js';

/**
 * The one public form of an event, the same in `GET /api/events` and in every outgoing webhook
 * delivery: `{ id, type, createdAt, data }`. `id` is the event's random id, what a receiver
 * deduplicates by; the internal sequence is never shown.
 */
function envelopeOf<T extends EventType>(type: T) {
  return z
    .object({
      id: z.uuid().openapi({ description: 'Unique per event: deduplicate deliveries by it' }),
      type: z.literal(type),
      createdAt: z.iso.datetime().openapi({ description: 'When the change happened' }),
      data: eventDataSchemas[type],
    })
    .openapi(`${eventTypeName(type)}Event`);
}

export const eventEnvelopeSchemas = Object.fromEntries(
  eventTypes.map((type) => [type, envelopeOf(type)]),
) as {
  [T in EventType]: ReturnType<typeof envelopeOf<T>>;
};

export const eventEnvelopeSchema = z
  .discriminatedUnion(
    'type',
    eventTypes.map((type) => eventEnvelopeSchemas[type]) as unknown as [
      (typeof eventEnvelopeSchemas)[EventType],
      ...(typeof eventEnvelopeSchemas)[EventType][],
    ],
  )
  .openapi('Event');

export type EventEnvelope = {
  [T in EventType]: { id: string; type: T; createdAt: string; data: EventData<T> };
}[EventType];

/** The columns the envelope needs; a full `events` row fits. */
export type EventRow = Pick<typeof events.$inferSelect, 'id' | 'type' | 'payload'> & {
  createdAt: Date | string;
};

/** Turns an outbox row into its public envelope; a payload that breaks its type's shape is a bug (throws). */
export function toEventEnvelope(row: EventRow): EventEnvelope {
  const data = storedEventData[row.type].parse(row.payload);
  return {
    id: row.id,
    type: row.type,
    createdAt: new Date(row.createdAt).toISOString(),
    data,
  } as EventEnvelope;
}
