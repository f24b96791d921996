/** How long events stay listed in GET /api/events; the retention sweep deletes older ones. */
export const EVENT_RETENTION_MS = 30 * 24 * 60 * 60_000;
