import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

/**
 * The tenant. Every other table carries its id, and composite keys keep rows inside it.
 * better-auth's organization plugin uses this table as its `organization` model, hence slug,
 * logo and metadata.
 */
export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique('workspaces_slug_unique'),
  logo: text('logo'),
  metadata: text('metadata'),
  createdAt: createdAt(),
});
