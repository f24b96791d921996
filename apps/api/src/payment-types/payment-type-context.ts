import { contacts, paymentLinks } from '@paylinks/db';
import type { EduContext, EduHttp } from '@paylinks/plugin-edu';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { text } from '../http/text-schema.js';
import type { InstalledPaymentType } from './installed-payment-types.js';

const http: EduHttp = {
  createRouter: () => createRouter(),
  text: (options) => text(options),
  problem: (status, detail) => new ProblemError(status, detail),
  problemResponses,
};

/** What a type plugin gets from the app: the database, the caller's workspace, the route toolkit. */
export function paymentTypeContext(ctx: AppContext, type: InstalledPaymentType): EduContext {
  return {
    db: ctx.db,
    // Only under requireMember, which always sets the caller.
    workspaceId: (c: Context) => (c as unknown as Context<MemberEnv>).get('caller').workspaceId,
    http,
    async contactExists(workspaceId, contactId) {
      const [row] = await ctx.db
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
        .limit(1);
      return row !== undefined;
    },
    async optionInUse(workspaceId, optionId) {
      const [row] = await ctx.db
        .select({ id: paymentLinks.id })
        .from(paymentLinks)
        .where(
          and(
            eq(paymentLinks.workspaceId, workspaceId),
            eq(paymentLinks.type, type.id),
            sql`${paymentLinks.typeOption} ->> ${type.optionField} = ${optionId}`,
          ),
        )
        .limit(1);
      return row !== undefined;
    },
  };
}
