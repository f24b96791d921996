import { lstatSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { DataDirectoryLockedError } from './data-dir-lock';
import type { Database } from './database';
import { isUniqueViolation } from './database-errors';
import { workspaces } from './schema/index';
import { testDriver } from './testing/index';

// The embedded database as the server opens it: PGlite in a worker thread of its own.

/** A statement that keeps PGlite busy for a while (a few hundred milliseconds here). */
const busyStatement = sql`select count(*) from generate_series(1, 3000000)`;

/** Whether a timer due in 1 ms fires before `statement` answers: only if the event loop kept turning. */
async function timerFiresDuring(database: Database): Promise<boolean> {
  const order: string[] = [];
  const timer = new Promise<void>((resolve) =>
    setTimeout(() => {
      order.push('timer');
      resolve();
    }, 1),
  );
  await database.db.execute(busyStatement);
  order.push('statement');
  await timer;
  return order[0] === 'timer';
}

describe.runIf(testDriver() === 'pglite')('PGlite in a worker thread (the default of openDatabase)', () => {
  let work: string;
  let dataDir: string;
  let database: Database;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'paylinks-pglite-thread-'));
    dataDir = join(work, 'data');
    database = await openDatabase({ dataDir });
  });
  afterAll(async () => {
    await database?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps the event loop turning while a long statement runs; in-thread PGlite stops it', async () => {
    expect(await timerFiresDuring(database)).toBe(true);
    const inThread = await openDatabase({ dataDir: 'memory://', pgliteThread: false });
    try {
      expect(await timerFiresDuring(inThread)).toBe(false);
    } finally {
      await inThread.close();
    }
  });

  it('runs transactions and reports constraint violations as the in-thread PGlite does', async () => {
    const id = crypto.randomUUID();
    await database.db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ id, name: 'Thread', slug: `thread-${id}` });
    });
    const failed = await database.db
      .insert(workspaces)
      .values({ id, name: 'Again', slug: `again-${id}` })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(failed)).toBe(true);
    await expect(
      database.db.transaction(async (tx) => {
        await tx
          .insert(workspaces)
          .values({ id: crypto.randomUUID(), name: 'Rolled back', slug: `rb-${id}` });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const names = await database.db.select({ name: workspaces.name }).from(workspaces);
    expect(names.map((row) => row.name)).toEqual(['Thread']);
  });

  it('holds the data directory: a second open is refused while the first is open', async () => {
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirectoryLockedError);
  });

  it('keeps the directory private and its rows across a close and a new open, past a stale socket', async () => {
    await database.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const openToOthers = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((path) => (lstatSync(path).mode & 0o077) !== 0);
    expect(openToOthers).toEqual([]);
    // What a SIGKILLed server leaves behind: its socket, which would refuse the next one's listen.
    writeFileSync(join(dataDir, 'paylinks-pglite.sock'), '');
    database = await openDatabase({ dataDir });
    const names = await database.db.select({ name: workspaces.name }).from(workspaces);
    expect(names.map((row) => row.name)).toEqual(['Thread']);
  });
});
