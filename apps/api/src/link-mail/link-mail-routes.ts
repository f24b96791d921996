import { createRoute } from '@hono/zod-openapi';
import type { MemberEnv } from '../auth/caller.js';
import { notFound } from '../http/not-found.js';
import { problemResponse } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { linkIdParamSchema } from '../payment-links/payment-link-schemas.js';
import { loadLinkMailFacts } from './link-mail-facts.js';
import { linkMailHistory } from './link-mail-history.js';
import { linkMailListSchema, linkMailSchema, sendLinkMailSchema } from './link-mail-schemas.js';
import { MailRateLimited, type QueueLinkMailDeps, queueLinkMail } from './queue-link-mail.js';

const tags = ['Payment links'];

const sendRoute = createRoute({
  method: 'post',
  path: '/{id}/mails',
  operationId: 'sendPaymentLinkMail',
  tags,
  summary: "Email the link to the payer, in the contact's language",
  description:
    "Queues the mail; the server's mail job sends it within seconds and its `status` turns `sent`, or " +
    '`queued` again with the SMTP answer (retried with backoff up to 4 attempts), or `failed`. The mail ' +
    "shows the description, the amount in the payer's language, the days left, a button to the link " +
    'and the optional message. Refused: no SMTP on this server (503 `smtp_not_configured`), no address ' +
    '(422 `no_recipient`), a deleted (410 `link_deleted`), paid (409 `link_already_paid`) or expired ' +
    '(409 `link_expired`) link, and more than the hourly mails of a workspace (429 `rate_limited`).',
  request: {
    params: linkIdParamSchema,
    body: { required: false, content: { 'application/json': { schema: sendLinkMailSchema } } },
  },
  responses: {
    202: {
      description: 'Queued; the history shows when it is sent',
      content: { 'application/json': { schema: linkMailSchema } },
    },
    ...problemResponses(401, 403, 404, 409, 410, 422, 429, 503),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/{id}/mails',
  operationId: 'listPaymentLinkMails',
  tags,
  summary: "The link's mails (sent by the team, and its reminder) with each one's history",
  request: { params: linkIdParamSchema },
  responses: {
    200: { description: 'Newest first', content: { 'application/json': { schema: linkMailListSchema } } },
    ...problemResponses(401, 404, 422),
  },
});

/** POST and GET /api/payment-links/{id}/mails, behind the member middleware. */
export function linkMailRoutes(deps: QueueLinkMailDeps) {
  return createRouter<MemberEnv>()
    .openapi(sendRoute, async (c) => {
      const caller = c.get('caller');
      const { id } = c.req.valid('param');
      let mailId: string;
      try {
        mailId = await queueLinkMail(deps, caller, id, c.req.valid('json') ?? {});
      } catch (error) {
        if (!(error instanceof MailRateLimited)) throw error;
        c.header('retry-after', String(error.retryAfterSeconds));
        // A typed 429 body is the problem schema; hono types only the JSON answers of a route.
        return problemResponse(c, 429, error.problem) as never;
      }
      const mails = await linkMailHistory(deps.db, caller.workspaceId, id);
      return c.json(mails.find((mail) => mail.id === mailId)!, 202);
    })
    .openapi(listRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const [facts, items] = await Promise.all([
        loadLinkMailFacts(deps.db, workspaceId, id, deps.clock.now()),
        linkMailHistory(deps.db, workspaceId, id),
      ]);
      if (!facts) throw notFound('id', 'payment link');
      return c.json({ items }, 200);
    });
}
