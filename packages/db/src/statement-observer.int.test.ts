import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { contacts } from './schema/index';
import { seedWorkspace } from './test-support/seed';
import { openTestDatabase } from './testing/index';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  // postgres.js reads the server's array types once on a new connection: not what is counted here.
  await database.db.execute(sql`select 1`);
});
afterAll(() => database?.close());

/** The statements `work` sends, in order, as their first word (SELECT, BEGIN, …). */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = database.observeStatements((text) => seen.push(text.trim().split(/\s+/, 1)[0]!.toUpperCase()));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

describe('observeStatements sees every round trip', () => {
  it('one query is one statement', async () => {
    expect(await statementsOf(() => database.db.execute(sql`select 1`))).toEqual(['SELECT']);
  });

  it('a transaction is its BEGIN, its statements and its COMMIT', async () => {
    const seed = await seedWorkspace(database.db);
    const seen = await statementsOf(() =>
      database.db.transaction(async (tx) => {
        await tx.select().from(contacts).where(eq(contacts.id, seed.contact.id)).for('update');
        await tx.update(contacts).set({ name: 'Ada King' }).where(eq(contacts.id, seed.contact.id));
      }),
    );
    expect(seen).toEqual(['BEGIN', 'SELECT', 'UPDATE', 'COMMIT']);
  });

  it('a failed transaction ends in ROLLBACK, and nothing is seen once stopped', async () => {
    const seen = await statementsOf(() =>
      database.db
        .transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          throw new Error('changed my mind');
        })
        .catch(() => {}),
    );
    expect(seen).toEqual(['BEGIN', 'SELECT', 'ROLLBACK']);

    const after: string[] = [];
    database.observeStatements((text) => after.push(text))();
    await database.db.execute(sql`select 1`);
    expect(after).toEqual([]);
  });
});
