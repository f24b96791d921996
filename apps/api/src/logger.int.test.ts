import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler } from './http/error-handler.js';
import { createMemoryLogger, errorFields } from './logger.js';

const payerEmail = 'payer.private@example.com';
const linkToken = 'tok_9f3Kq2LmZx7Wv1Rt8Yb4';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(
    sql.raw(
      'create table log_probe (email text not null, token text constraint log_probe_token_unique unique)',
    ),
  );
  await database.db.execute(sql`insert into log_probe (email, token) values (${payerEmail}, ${linkToken})`);
});

afterAll(async () => {
  await database?.close();
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe('error fields in the log', () => {
  it('a unique violation whose statement carries an email and a token logs neither, but its SQLSTATE and constraint', async () => {
    const error = await failure(() =>
      database.db.execute(sql`insert into log_probe (email, token) values (${payerEmail}, ${linkToken})`),
    );
    const fields = errorFields(error);
    const line = JSON.stringify(fields);
    expect(line).not.toContain(payerEmail);
    expect(line).not.toContain(linkToken);
    expect(line).not.toContain('insert into');
    expect(fields).toMatchObject({
      error: 'DrizzleQueryError',
      errorMessage: 'duplicate key value violates unique constraint "log_probe_token_unique"',
      sqlState: '23505',
      constraint: 'log_probe_token_unique',
    });
    expect(fields.errorCause).toMatch(/^(DatabaseError|PostgresError)$/);
  });

  it('a bad value PostgreSQL echoes back in its message is not logged either', async () => {
    const error = await failure(() => database.db.execute(sql`select ${payerEmail}::uuid`));
    const fields = errorFields(error);
    expect(JSON.stringify(fields)).not.toContain(payerEmail);
    expect(fields).toMatchObject({
      sqlState: '22P02',
      errorMessage: 'invalid input syntax for type uuid: "…"',
    });
  });

  it('the API error handler logs a failed query as its class, SQLSTATE and constraint, with no statement', async () => {
    const logger = createMemoryLogger();
    const app = new Hono();
    app.onError(createErrorHandler(logger));
    app.post('/probe', async () => {
      await database.db.execute(
        sql`insert into log_probe (email, token) values (${payerEmail}, ${linkToken})`,
      );
      return new Response(null, { status: 204 });
    });

    const response = await app.request('/probe', { method: 'POST' });

    expect(response.status).toBe(500);
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(payerEmail);
    expect(logged).not.toContain(linkToken);
    expect(logged).not.toContain('log_probe (email');
    expect(logger.lines[0]?.fields).toMatchObject({
      path: '/probe',
      error: 'DrizzleQueryError',
      sqlState: '23505',
      constraint: 'log_probe_token_unique',
    });
    expect(logger.lines[0]?.fields?.stack).toMatch(/^\s+at /);
  });
});

describe('error fields for errors that are not from the database', () => {
  it('names the class even when it never set `name`, and the code of a system error', () => {
    class ProviderTimeout extends Error {}
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(errorFields(new ProviderTimeout('took too long'))).toEqual({
      error: 'ProviderTimeout',
      errorMessage: 'took too long',
    });
    expect(errorFields(new Error('fetch failed', { cause: refused }))).toEqual({
      error: 'Error',
      errorMessage: 'fetch failed',
      errorCode: 'ECONNREFUSED',
      errorCause: 'Error',
    });
    expect(errorFields('a string')).toEqual({ error: 'string' });
  });
});
