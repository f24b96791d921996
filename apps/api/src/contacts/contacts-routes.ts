import { createRoute } from '@hono/zod-openapi';
import { contacts, isForeignKeyViolation } from '@paylinks/db';
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { externalIdTaken } from '../http/external-id-schema.js';
import { notFound } from '../http/not-found.js';
import { toPage } from '../http/pagination.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { afterPosition, listWalk, syncKey, syncOrder, toSyncPage } from '../sync/sync-page.js';
import { touchedAt } from '../sync/updated-at.js';
import { contactInUse, countContactHolders, hasHolders } from './contact-holders.js';
import {
  contactIdParams,
  contactListQuery,
  contactPageSchema,
  contactSchema,
  createContactSchema,
  presentContact,
  updateContactSchema,
} from './contact-schemas.js';
import { contactSearchCondition } from './contact-search.js';
import { normalisePhone } from './phone-number.js';

const tags = ['Contacts'];
const json = <S>(schema: S) => ({ 'application/json': { schema } });

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listContacts',
  tags,
  summary: 'Contacts, newest first, filtered by q or looked up by email or externalId',
  description:
    'With `updatedSince` the list is an incremental sync instead: changed contacts, oldest change first ' +
    '(see the parameter). Deleted contacts do not appear in it.',
  request: { query: contactListQuery },
  responses: {
    200: { description: 'One page of contacts', content: json(contactPageSchema) },
    ...problemResponses(401, 422),
  },
});

const createContactRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createContact',
  tags,
  summary: 'Create a contact',
  request: { body: { required: true, content: json(createContactSchema) } },
  responses: {
    201: { description: 'Created', content: json(contactSchema) },
    ...problemResponses(401, 409, 422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getContact',
  tags,
  summary: 'A contact',
  request: { params: contactIdParams },
  responses: {
    200: { description: 'The contact', content: json(contactSchema) },
    ...problemResponses(401, 404, 422),
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updateContact',
  tags,
  summary: 'Change some fields of a contact; null clears email or phone',
  request: { params: contactIdParams, body: { required: true, content: json(updateContactSchema) } },
  responses: {
    200: { description: 'The changed contact', content: json(contactSchema) },
    ...problemResponses(401, 404, 409, 422),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteContact',
  tags,
  summary: 'Delete a contact that has no deals, payment links or payments',
  request: { params: contactIdParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 404, 409, 422) },
});

function phoneOrRefuse(phone: string | null | undefined, defaultCountry: string | undefined) {
  if (phone === undefined || phone === null) return phone;
  const result = normalisePhone(phone, defaultCountry);
  if (!result.ok) throw new ProblemError(422, result.error);
  return result.value;
}

const contactNotFound = () => notFound('id', 'contact');
const EXTERNAL_ID_UNIQUE = 'contacts_workspace_external_id_unique';

export function contactsRoutes(ctx: AppContext) {
  const { db, clock } = ctx;
  const owned = (workspaceId: string, id: string) =>
    and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id));

  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { q, email, externalId, limit, ...position } = c.req.valid('query');
      const walk = listWalk(position);
      const filters = and(
        eq(contacts.workspaceId, workspaceId),
        q ? contactSearchCondition(q) : undefined,
        // Stored lower-cased; lower() on both sides keeps the lookup exact for rows written before that.
        email === undefined ? undefined : sql`lower(${contacts.email}) = lower(${email})`,
        externalId === undefined ? undefined : eq(contacts.externalId, externalId),
      );
      if (walk.kind === 'sync') {
        const rows = await db
          .select({ ...getTableColumns(contacts), syncKey: syncKey(contacts) })
          .from(contacts)
          .where(and(filters, afterPosition(contacts, walk.after)))
          .orderBy(...syncOrder(contacts))
          .limit(limit + 1);
        const page = toSyncPage(rows, limit, walk.after);
        return c.json({ items: page.items.map(presentContact), nextCursor: page.nextCursor }, 200);
      }
      const { after } = walk;
      const rows = await db
        .select()
        .from(contacts)
        .where(
          and(
            filters,
            after
              ? sql`(${contacts.createdAt}, ${contacts.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(contacts.createdAt), desc(contacts.id))
        .limit(limit + 1);
      const page = toPage(rows, limit);
      return c.json({ items: page.items.map(presentContact), nextCursor: page.nextCursor }, 200);
    })
    .openapi(createContactRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const body = c.req.valid('json');
      const phone = phoneOrRefuse(body.phone, body.defaultCountry) ?? null;
      const now = clock.now();
      const [row] = await db
        .insert(contacts)
        .values({
          workspaceId,
          name: body.name,
          email: body.email ?? null,
          phone,
          language: body.language ?? null,
          metadata: body.metadata ?? {},
          externalId: body.externalId ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .catch((error: unknown) => {
          throw externalIdTaken(error, EXTERNAL_ID_UNIQUE) ?? error;
        });
      if (!row) throw new Error('insert returned no contact');
      c.header('location', `/api/contacts/${row.id}`);
      return c.json(presentContact(row), 201);
    })
    .openapi(getRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const [row] = await db
        .select()
        .from(contacts)
        .where(owned(workspaceId, c.req.valid('param').id));
      if (!row) throw contactNotFound();
      return c.json(presentContact(row), 200);
    })
    .openapi(updateRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const changes = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.email === undefined ? {} : { email: body.email }),
        ...(body.phone === undefined ? {} : { phone: phoneOrRefuse(body.phone, body.defaultCountry) }),
        ...(body.language === undefined ? {} : { language: body.language }),
        ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
        ...(body.externalId === undefined ? {} : { externalId: body.externalId }),
      };
      // An empty patch changes nothing, so it must not move updatedAt either.
      const [row] =
        Object.keys(changes).length === 0
          ? await db.select().from(contacts).where(owned(workspaceId, id))
          : await db
              .update(contacts)
              .set({ ...changes, updatedAt: touchedAt(contacts.updatedAt, clock.now()) })
              .where(owned(workspaceId, id))
              .returning()
              .catch((error: unknown) => {
                throw externalIdTaken(error, EXTERNAL_ID_UNIQUE) ?? error;
              });
      if (!row) throw contactNotFound();
      return c.json(presentContact(row), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const holders = await countContactHolders(db, workspaceId, id);
      if (hasHolders(holders)) throw contactInUse(holders);
      try {
        const deleted = await db
          .delete(contacts)
          .where(owned(workspaceId, id))
          .returning({ id: contacts.id });
        if (deleted.length === 0) throw contactNotFound();
      } catch (error) {
        // A deal or link created between the count and the delete: the foreign key still refuses it.
        if (isForeignKeyViolation(error)) throw contactInUse(await countContactHolders(db, workspaceId, id));
        throw error;
      }
      return c.body(null, 204);
    });
}
