import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@paylinks/db';
import { openTestDatabase, type TestDriver, testDriver } from '@paylinks/db/testing';
import { paymentTypeMigrations } from '../payment-types/installed-payment-types.js';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import { cookieOf } from '../testing/test-app.js';

// A real server process on the running project's driver, for the hostile-input and two-workspace
// tests: PostgreSQL (a throwaway database the test can also read) or PGlite (a data directory only
// the server may open, so the test reads it between a stop and a restart).

export const fuzzPublicUrl = 'http://localhost:3999';
export const fuzzOrigin = new URL(fuzzPublicUrl).origin;

// Public budgets and sign-in throttling are tested elsewhere; here they would only turn deep code
// paths into early 429s.
const generousLimits = {
  PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '1000000',
  PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '1000000',
  PAYLINKS_RATE_LIMIT_STATUS_PER_MIN: '1000000',
  PAYLINKS_SIGNIN_FAILURES_PER_ACCOUNT_ADDRESS: '1000000',
  PAYLINKS_SIGNIN_FAILURES_PER_ADDRESS: '1000000',
  PAYLINKS_SIGNIN_DELAY_MS: '0',
  PAYLINKS_API_KEY_RATE_LIMIT: '1000000',
};

export interface FuzzServer {
  driver: TestDriver;
  /** http://127.0.0.1:<port> of the running process (the port changes when PGlite is read). */
  origin(): string;
  /**
   * Runs `read` on the server's database. On PostgreSQL while the server runs; on PGlite the server
   * is stopped, the data directory opened, read and closed, and the server started again (seconds).
   */
  withDatabase<T>(read: (database: Database) => Promise<T>): Promise<T>;
  /** Everything the current process printed. */
  output(): string;
  close(): Promise<void>;
}

export async function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const driver = testDriver();
  const secretKey = randomBytes(32).toString('base64');
  const common = { PUBLIC_URL: fuzzPublicUrl, PAYLINKS_SECRET_KEY: secretKey, ...generousLimits, ...env };
  if (driver === 'postgres') {
    const database = await openTestDatabase();
    const server = await startServerProcess({ ...common, DATABASE_URL: database.url });
    return {
      driver,
      origin: () => server.origin,
      withDatabase: (read) => read(database),
      output: () => server.output(),
      close: async () => {
        await server.stop();
        await database.close();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'paylinks-fuzz-'));
  const start = () => startServerProcess({ ...common, DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir });
  let server: ServerProcess = await start();
  return {
    driver,
    origin: () => server.origin,
    withDatabase: async (read) => {
      await server.stop();
      const database = await openDatabase({
        dataDir,
        migrate: false,
        pluginMigrations: paymentTypeMigrations(),
      });
      try {
        return await read(database);
      } finally {
        await database.close();
        server = await start();
      }
    },
    output: () => server.output(),
    close: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** One request with a deadline: a server that does not answer in time fails the test, not the run. */
export async function send(
  origin: string,
  path: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const response = await fetch(`${origin}${path}`, {
    ...init,
    signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A signed-in owner of a new workspace (cookie + our Origin) and an API key made by them. */
export interface HttpMember {
  userId: string;
  workspaceId: string;
  cookieHeaders: Record<string, string>;
  apiKeyHeaders: Record<string, string>;
}

export async function signUpOverHttp(origin: string, workspaceName: string): Promise<HttpMember> {
  const response = await fetch(`${origin}/api/signup`, {
    method: 'POST',
    headers: { origin: fuzzOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `${workspaceName} Owner`,
      email: `owner-${randomBytes(4).toString('hex')}@example.com`,
      password: 'correct horse battery staple',
      workspaceName,
    }),
  });
  if (response.status !== 201) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string }; workspace: { id: string } };
  const cookieHeaders = { cookie: cookieOf(response), origin: fuzzOrigin };
  const key = await fetch(`${origin}/api/api-keys`, {
    method: 'POST',
    headers: { ...cookieHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${workspaceName} script` }),
  });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${await key.text()}`);
  const { key: secret } = (await key.json()) as { key: string };
  return {
    userId: body.user.id,
    workspaceId: body.workspace.id,
    cookieHeaders,
    apiKeyHeaders: { authorization: `Bearer ${secret}` },
  };
}

/** JSON call as a member (cookie or key); throws unless the answer is `expected`. */
export async function callOk(
  origin: string,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
  expected = method === 'POST' ? 201 : 200,
  // biome-ignore lint/suspicious/noExplicitAny: fixtures read API answers loosely, like the tests do.
): Promise<any> {
  const answer = await send(origin, path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (answer.status !== expected)
    throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.text ? JSON.parse(answer.text) : undefined;
}
