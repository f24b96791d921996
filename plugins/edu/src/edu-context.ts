import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { PaymentTypeContext } from '@paylinks/core';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';

// The app's drizzle database and transactions carry the app's schema, which the plugin may not
// import; it only queries its own tables, so any schema will do.
// biome-ignore lint/suspicious/noExplicitAny: any host schema, see above
export type EduDb = PgDatabase<PgQueryResultHKT, any>;
// biome-ignore lint/suspicious/noExplicitAny: any host schema, see above
export type EduTx = PgTransaction<PgQueryResultHKT, any, any>;
export type EduExecutor = EduDb | EduTx;

export interface ProblemDetail {
  code: string;
  field?: string;
  message: string;
}

/** The app's route toolkit, so EDU answers like every other area (validation, problem+json). */
export interface EduHttp {
  createRouter(): OpenAPIHono;
  /** The app's text schema: refuses control characters with a 422 naming the field. */
  text(options: { min?: number; max: number; multiline?: boolean }): z.ZodString;
  /** An error the app's error handler answers as problem+json. */
  problem(status: 404 | 409 | 422, detail: ProblemDetail): Error;
  problemResponses<const S extends number>(
    ...statuses: S[]
  ): Record<S, { description: string; content: Record<string, { schema: z.ZodType }> }>;
}

export type EduContext = PaymentTypeContext<EduDb, Context, EduHttp>;
