import type { Database } from '@paylinks/db';
import {
  createSandboxLedger,
  createSandboxProvider,
  createSandboxWebhookSender,
  type SandboxWebhookSender,
} from '@paylinks/plugin-sandbox';
import { type AppDeps, type Clock, createApp } from '../app.js';
import { createMemoryLogger } from '../logger.js';

export const testPublicUrl = 'http://localhost:3000';
export const testOrigin = new URL(testPublicUrl).origin;

/** A settable clock, so tests move time instead of waiting for it. */
export function testClock(start = new Date('2026-11-26T12:00:00Z')): Clock & { set(at: Date): void } {
  let now = start;
  return { now: () => now, set: (at) => (now = at) };
}

/** How a signed-in team member calls the API in tests: the session cookie plus our Origin. */
export interface TestMember {
  userId: string;
  workspaceId: string;
  email: string;
  headers: Record<string, string>;
}

let signUpCounter = 0;

/**
 * The real app on a real test database, with an in-memory logger and a settable clock. The sandbox
 * provider delivers its signed webhooks into this same app over app.request, like a real provider
 * calling our public URL; `sandbox.webhooks` lets a test hold, reorder or wait for them.
 */
export function testApp(database: Database, overrides: Partial<AppDeps> = {}) {
  const logger = createMemoryLogger();
  const clock = testClock();
  const ledger = createSandboxLedger();
  let deliverInto: ((path: string, init: RequestInit) => Response | Promise<Response>) | undefined;
  const webhooks: SandboxWebhookSender = createSandboxWebhookSender({
    now: () => clock.now(),
    // Retries come quickly in tests; the delays themselves are the sender's own tests' business.
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    deliver: async ({ url, headers, body }) => {
      const response = await deliverInto!(new URL(url).pathname, { method: 'POST', headers, body });
      return { status: response.status };
    },
  });
  const sandbox = createSandboxProvider({ ledger, now: () => clock.now(), webhooks });
  const deps: AppDeps = {
    database,
    config: { publicUrl: testPublicUrl },
    secretKey: Buffer.alloc(32, 1),
    clock,
    logger,
    providers: [sandbox],
    ...overrides,
  };
  const app = createApp(deps);
  const request = (path: string, init?: RequestInit) => app.request(path, init);
  deliverInto = request;

  /** JSON request as `member` (or anonymous): method, path, optional body. */
  const call = (member: TestMember | null, method: string, path: string, body?: unknown) =>
    request(path, {
      method,
      headers: {
        ...(member ? member.headers : { origin: testOrigin }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  /** Signs up a new workspace through HTTP and returns its owner, signed in. */
  const signUp = async (workspaceName = 'Acme'): Promise<TestMember> => {
    signUpCounter += 1;
    const email = `owner-${signUpCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const response = await call(null, 'POST', '/api/signup', {
      name: 'Ada Owner',
      email,
      password: 'correct horse battery staple',
      workspaceName,
    });
    if (response.status !== 201)
      throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { user: { id: string }; workspace: { id: string } };
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';', 1)[0])
      .join('; ');
    return {
      userId: body.user.id,
      workspaceId: body.workspace.id,
      email,
      headers: { cookie, origin: testOrigin },
    };
  };

  return {
    app,
    database,
    logger,
    clock,
    request,
    call,
    signUp,
    sandbox: { provider: sandbox, ledger, webhooks },
    close: async () => {
      await webhooks.idle();
      await database.close();
    },
  };
}

export type TestApp = ReturnType<typeof testApp>;
