import { createRoute } from '@hono/zod-openapi';
import { contacts, deals } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { listWalk } from '../sync/sync-page.js';
import { createPaymentLink } from './create-payment-link.js';
import { deletePaymentLink } from './delete-payment-link.js';
import { editPaymentLink } from './edit-payment-link.js';
import { HISTORY_LIMIT, linkHistory } from './link-history.js';
import { findLink, listLinks } from './payment-link-reads.js';
import {
  createPaymentLinkDocumented,
  createPaymentLinkSchema,
  linkIdParamSchema,
  listPaymentLinksQuerySchema,
  paymentLinkDetailSchema,
  paymentLinkPageSchema,
  paymentLinkSchema,
  updatePaymentLinkSchema,
} from './payment-link-schemas.js';
import { resumeLinkCheckout } from './resume-link-checkout.js';

const tags = ['Payment links'];
const linkResponse = { 'application/json': { schema: paymentLinkSchema } };
const detailResponse = { 'application/json': { schema: paymentLinkDetailSchema } };

const createLinkRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createPaymentLink',
  tags,
  summary: 'Create a payment link from a contact or a deal',
  request: {
    body: { required: true, content: { 'application/json': { schema: createPaymentLinkSchema } } },
  },
  responses: {
    201: { description: 'Created; share `url` with the payer', content: linkResponse },
    ...problemResponses(401, 404, 409, 422),
  },
});
// Validated with the flat schema, documented as the union on origin (payment-link-schemas.ts).
const documentedCreateLinkRoute = {
  ...createLinkRoute,
  request: {
    body: { required: true, content: { 'application/json': { schema: createPaymentLinkDocumented } } },
  },
};

const listLinksRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPaymentLinks',
  tags,
  summary: 'Links of a contact or a deal (the Payments tab), newest first, deleted and paid ones included',
  description:
    'With `updatedSince` the list is an incremental sync instead: changed links (a deletion is a change), ' +
    'oldest change first (see the parameter).',
  request: { query: listPaymentLinksQuerySchema },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: paymentLinkPageSchema } } },
    ...problemResponses(401, 404, 422),
  },
});

const getLinkRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPaymentLink',
  tags,
  summary: 'One payment link with its state, days left and edit history',
  description: `\`history\` lists the link's edits newest first (the latest ${HISTORY_LIMIT} changed fields).`,
  request: { params: linkIdParamSchema },
  responses: {
    200: { description: 'The link and its history', content: detailResponse },
    ...problemResponses(401, 404, 422),
  },
});

const updateLinkRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updatePaymentLink',
  tags,
  summary: 'Change description, validity, the reminder, and amount while nobody has opened the link',
  description:
    "Every changed field is added to the link's `history` (who, when, from and to); sending a value the " +
    'link already has changes nothing. The payment page shows the new description and amount from its ' +
    'next view; payments already recorded keep theirs. Refused: a deleted link (410 `link_deleted`), a ' +
    'paid deal link (409 `link_already_paid`), an expired link unless the new validity opens it again ' +
    '(409 `link_expired`), and a new amount once the link has been opened (409 `amount_locked`). ' +
    'A changed validity moves a scheduled reminder with it (refused, 422 `reminder_too_late` on validityDays, ' +
    'when the reminder would then fall before the link was made) and unlimited cancels it; `remindDaysBefore` ' +
    'moves, schedules or (null) switches off the one reminder a link has.',
  request: {
    params: linkIdParamSchema,
    body: { required: true, content: { 'application/json': { schema: updatePaymentLinkSchema } } },
  },
  responses: {
    200: { description: 'The link as changed, with its history', content: detailResponse },
    ...problemResponses(401, 404, 409, 410, 422),
  },
});

const deleteLinkRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deletePaymentLink',
  tags,
  summary: 'Delete a link: it stops being payable at once and stays in history',
  request: { params: linkIdParamSchema },
  responses: {
    200: { description: 'The link, now in state "deleted"', content: linkResponse },
    ...problemResponses(401, 404, 409, 422),
  },
});

const resumeCheckoutRoute = createRoute({
  method: 'post',
  path: '/{id}/resume-checkout',
  operationId: 'resumePaymentLinkCheckout',
  tags,
  summary: 'Resume checkout on a link paused after too many failed attempts (owner or admin)',
  description:
    'A link pauses checkout after 20 declined or invalid card attempts in an hour (card testing); its ' +
    "`checkoutPaused` says when and why. Resuming clears the pause and starts the link's count again. " +
    'Resuming a link that is not paused changes nothing and answers the link.',
  request: { params: linkIdParamSchema },
  responses: {
    200: { description: 'The link, with `checkoutPaused` null', content: linkResponse },
    ...problemResponses(401, 403, 404, 422),
  },
});

export function paymentLinksRoutes(ctx: AppContext) {
  const present = async (workspaceId: string, id: string) => {
    const link = await findLink(ctx, workspaceId, id);
    if (!link) throw notFound('id', 'payment link');
    return link;
  };

  // A filter naming another workspace's contact or deal answers 404, like every other foreign id.
  const requireOwn = async (workspaceId: string, query: { contactId?: string; dealId?: string }) => {
    if (query.contactId !== undefined) {
      const [row] = await ctx.db
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, query.contactId)));
      if (!row) throw notFound('contactId', 'contact');
    }
    if (query.dealId !== undefined) {
      const [row] = await ctx.db
        .select({ id: deals.id })
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, query.dealId)));
      if (!row) throw notFound('dealId', 'deal');
    }
  };

  const detail = async (workspaceId: string, id: string) => {
    const [link, history] = await Promise.all([present(workspaceId, id), linkHistory(ctx, workspaceId, id)]);
    return { ...link, history };
  };

  const router = createRouter<MemberEnv>();
  router.openAPIRegistry.registerPath(documentedCreateLinkRoute);
  return (
    router
      .openapi({ ...createLinkRoute, hide: true }, async (c) => {
        const { workspaceId } = c.get('caller');
        const id = await createPaymentLink(ctx, c.get('caller'), c.req.valid('json'));
        return c.json(await present(workspaceId, id), 201);
      })
      .openapi(listLinksRoute, async (c) => {
        const { workspaceId } = c.get('caller');
        const query = c.req.valid('query');
        const walk = listWalk(query);
        await requireOwn(workspaceId, query);
        const page = await listLinks(ctx, workspaceId, {
          limit: query.limit,
          ...(query.contactId === undefined ? {} : { contactId: query.contactId }),
          ...(query.dealId === undefined ? {} : { dealId: query.dealId }),
          walk,
        });
        return c.json(page, 200);
      })
      .openapi(getLinkRoute, async (c) => {
        return c.json(await detail(c.get('caller').workspaceId, c.req.valid('param').id), 200);
      })
      // Owners, admins and members alike, as for create: the member middleware has checked the caller.
      .openapi(updateLinkRoute, async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        await editPaymentLink(ctx, caller, id, c.req.valid('json'));
        return c.json(await detail(caller.workspaceId, id), 200);
      })
      .openapi(resumeCheckoutRoute, async (c) => {
        const caller = c.get('caller');
        requireRole(caller, ['owner', 'admin']);
        const { id } = c.req.valid('param');
        const outcome = await resumeLinkCheckout(ctx, caller, id);
        if (outcome === 'not_found') throw notFound('id', 'payment link');
        return c.json(await present(caller.workspaceId, id), 200);
      })
      .openapi(deleteLinkRoute, async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const deleted = await deletePaymentLink(ctx, workspaceId, id);
        const link = await present(workspaceId, id);
        if (!deleted) {
          // Keeps the first deletion time: the history should say when the link really stopped.
          throw new ProblemError(409, {
            code: 'link_already_deleted',
            field: 'id',
            message: 'This payment link is already deleted.',
          });
        }
        return c.json(link, 200);
      })
  );
}
