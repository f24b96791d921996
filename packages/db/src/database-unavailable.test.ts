import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-errors';

const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  // close() waits for open connections, so they go first.
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on a free port that does `onSocket` with every connection instead of speaking PostgreSQL. */
async function fakeServer(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

async function closedPort(): Promise<number> {
  const port = await fakeServer(() => {});
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

/** What a query through drizzle on postgres.js rejects with against `port`. */
async function queryError(port: number, options: { connect_timeout?: number } = {}): Promise<unknown> {
  const client = postgres(`postgres://nobody@127.0.0.1:${port}/nothing`, {
    max: 1,
    onnotice: () => {},
    ...options,
  });
  try {
    await drizzle({ client }).execute(sql`select 1`);
  } catch (error) {
    return error;
  } finally {
    await client.end({ timeout: 0 });
  }
  throw new Error('expected the query to fail');
}

describe('isDatabaseUnavailable, on errors postgres.js and drizzle really raise', () => {
  it('recognises a refused connection (nothing listens), through drizzle', async () => {
    const error = await queryError(await closedPort());
    expect(error).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('recognises a server that never answers (connect timeout)', async () => {
    const error = await queryError(await fakeServer(() => {}), { connect_timeout: 0.2 });
    expect(error).toMatchObject({ cause: { code: 'CONNECT_TIMEOUT' } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('recognises a client that was ended', async () => {
    const client = postgres('postgres://nobody@127.0.0.1:1/nothing', { max: 1 });
    await client.end();
    const error = await drizzle({ client })
      .execute(sql`select 1`)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ cause: { code: 'CONNECTION_ENDED' } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe('isDatabaseUnavailable, on the shapes PostgreSQL and PGlite report', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });

  it('takes SQLSTATE class 08 and 57P01–57P03 as unavailable', () => {
    for (const code of ['08000', '08001', '08003', '08006', '57P01', '57P02', '57P03']) {
      expect(isDatabaseUnavailable(wrapped(withCode(code))), code).toBe(true);
    }
  });

  it('takes a connection postgres.js saw close (a server restart) as unavailable', () => {
    // What postgres.js's Errors.connection() builds when the socket drops under a query.
    expect(isDatabaseUnavailable(wrapped(withCode('CONNECTION_CLOSED')))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(withCode('ECONNRESET')))).toBe(true);
  });

  it('takes a closed or closing PGlite as unavailable', () => {
    expect(isDatabaseUnavailable(wrapped(new Error('PGlite is closed')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('PGlite is closing'))).toBe(true);
  });

  it('looks into the AggregateError Node raises when every address of a host refused', () => {
    const refused = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], '');
    expect(isDatabaseUnavailable(wrapped(refused))).toBe(true);
  });

  it('does not take a refused statement, or an error from elsewhere, for an outage', () => {
    for (const code of ['23505', '23503', '42P01', '40001', '57014', 'ENOENT']) {
      expect(isDatabaseUnavailable(wrapped(withCode(code))), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error('connection refused by policy'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
