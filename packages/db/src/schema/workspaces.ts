import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

/** The tenant. Every other table carries its id, and composite keys keep rows inside it. */
export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});
