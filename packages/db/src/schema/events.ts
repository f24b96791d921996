// Filled in by the part that owns this table (see the session note).
export {};
