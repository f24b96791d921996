import { createRoute } from '@hono/zod-openapi';
import { type MailLanguage, type PaylinksDb, workspaces } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { mailSettingsSchema, updateMailSettingsSchema } from './link-mail-schemas.js';

// Under the links they shape: the mail a link is sent in and the reminder it gets.
const tags = ['Payment links'];
const settingsResponse = { 'application/json': { schema: mailSettingsSchema } };

const getRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getMailSettings',
  tags,
  summary: "The workspace's defaults for link mail: payers' language and the reminder for new links",
  responses: {
    200: { description: 'The settings', content: settingsResponse },
    ...problemResponses(401),
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/',
  operationId: 'updateMailSettings',
  tags,
  summary: 'Change the link mail defaults (owner or admin)',
  description:
    'A new default reminder applies to links created from now on; existing links keep theirs. A link ' +
    'created with `remindDaysBefore` (or null) overrides it.',
  request: {
    body: { required: true, content: { 'application/json': { schema: updateMailSettingsSchema } } },
  },
  responses: {
    200: { description: 'The settings as changed', content: settingsResponse },
    ...problemResponses(401, 403, 422),
  },
});

export function mailSettingsRoutes(deps: { db: PaylinksDb; smtpConfigured: boolean }) {
  const read = async (workspaceId: string) => {
    const [row] = await deps.db
      .select({
        defaultLanguage: workspaces.defaultLanguage,
        defaultReminderDays: workspaces.defaultReminderDays,
      })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    return {
      defaultLanguage: (row?.defaultLanguage ?? 'en') as MailLanguage,
      defaultReminderDays: row?.defaultReminderDays ?? null,
      smtpConfigured: deps.smtpConfigured,
    };
  };
  return createRouter<MemberEnv>()
    .openapi(getRoute, async (c) => c.json(await read(c.get('caller').workspaceId), 200))
    .openapi(updateRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const body = c.req.valid('json');
      const changes = {
        ...(body.defaultLanguage === undefined ? {} : { defaultLanguage: body.defaultLanguage }),
        ...(body.defaultReminderDays === undefined ? {} : { defaultReminderDays: body.defaultReminderDays }),
      };
      if (Object.keys(changes).length > 0) {
        await deps.db.update(workspaces).set(changes).where(eq(workspaces.id, caller.workspaceId));
      }
      return c.json(await read(caller.workspaceId), 200);
    });
}
