import type { Database } from '@paylinks/db';
import {
  createSandboxLedger,
  createSandboxProvider,
  createSandboxWebhookSender,
  type SandboxWebhookSender,
} from '@paylinks/plugin-sandbox';
import { type AppDeps, createApp } from '../app.js';
import type { Clock } from '../app-context.js';
import { createMemoryLogger } from '../logger.js';
import { type ContractCheck, createContractCheck } from './contract-check.js';
import { testPasswordHashing } from './test-password-hashing.js';

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

/** Like AppDeps, but the config is merged into the test defaults (open sign-up, our public URL). */
export type TestAppOverrides = Partial<Omit<AppDeps, 'config'>> & { config?: Partial<AppDeps['config']> };

/** The cookie header a response's Set-Cookie lines amount to. */
export const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');

/** The token at the end of an invitation link. */
export const invitationToken = (url: string) => url.slice(url.lastIndexOf('/') + 1);

// One compiled check per distinct document: test files build many apps that describe the same API.
const contractChecks = new Map<string, ContractCheck>();

/** A response that disagrees with the OpenAPI document; names the request that got it. */
export class ContractDrift extends Error {
  override name = 'ContractDrift';
}

async function contractCheckOf(app: ReturnType<typeof createApp>): Promise<ContractCheck> {
  const text = await (await app.request('/api/openapi.json')).text();
  let check = contractChecks.get(text);
  if (!check) {
    check = createContractCheck(JSON.parse(text));
    contractChecks.set(text, check);
  }
  return check;
}

function requestLine(input: string | Request | URL, init?: RequestInit) {
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const url = input instanceof Request ? input.url : String(input);
  return { method, path: new URL(url, testPublicUrl).pathname };
}

/**
 * The real app on a real test database, with an in-memory logger and a settable clock. The sandbox
 * provider delivers its signed webhooks into this same app over app.request, like a real provider
 * calling our public URL; `sandbox.webhooks` lets a test hold, reorder or wait for them.
 * Every response, whichever way a test asks (request, call, app.request, a webhook delivery), is
 * checked against the app's own OpenAPI document: a drift throws ContractDrift in the test that
 * made the request (a webhook delivery's drift is thrown by close()).
 */
export function testApp(database: Database, overrides: TestAppOverrides = {}) {
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
    secretKey: Buffer.alloc(32, 1),
    clock,
    logger,
    providers: [sandbox],
    passwordHashing: testPasswordHashing,
    ...overrides,
    // Test files sign up many workspaces, so sign-up stays open unless a test closes it.
    config: { publicUrl: testPublicUrl, openSignup: true, ...overrides.config },
  };
  const uncheckedApp = createApp(deps);
  let contract: Promise<ContractCheck> | undefined;
  const checked: typeof uncheckedApp.request = async (input, init, env, executionCtx) => {
    const response = await uncheckedApp.request(input, init, env, executionCtx);
    const { method, path } = requestLine(input, init);
    contract ??= contractCheckOf(uncheckedApp);
    const drift = await (await contract).check(method, path, response);
    const shownPath = path.length > 120 ? `${path.slice(0, 120)}…` : path;
    if (drift) throw new ContractDrift(`${method} ${shownPath} answered ${response.status}: ${drift}`);
    return response;
  };
  // The app as tests see it: the same router, with every answer checked against the document.
  const app: typeof uncheckedApp = Object.create(uncheckedApp, { request: { value: checked } });
  const request = async (path: string, init?: RequestInit) => checked(path, init);
  const deliveryDrifts: unknown[] = [];
  deliverInto = (path, init) =>
    request(path, init).catch((error: unknown) => {
      if (error instanceof ContractDrift) deliveryDrifts.push(error);
      throw error;
    });

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
    return {
      userId: body.user.id,
      workspaceId: body.workspace.id,
      email,
      headers: { cookie: cookieOf(response), origin: testOrigin },
    };
  };

  /** Signs in with email and password through HTTP; the member in the workspace the session opens on. */
  const signIn = async (email: string, password: string): Promise<TestMember> => {
    const response = await call(null, 'POST', '/api/auth/sign-in/email', { email, password });
    if (response.status !== 200)
      throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { user: { id: string } };
    const headers = { cookie: cookieOf(response), origin: testOrigin };
    const me = (await (await request('/api/me', { headers })).json()) as { workspace?: { id: string } };
    return { userId: body.user.id, workspaceId: me.workspace?.id ?? '', email, headers };
  };

  /**
   * Invites a new person with `role` into the inviter's workspace and accepts as them (setting a
   * password), the way a new team member joins; returns them signed in.
   */
  const addMember = async (
    inviter: TestMember,
    role: 'admin' | 'member',
    email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`,
  ): Promise<TestMember> => {
    const invited = await call(inviter, 'POST', '/api/invitations', { email, role });
    if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${await invited.text()}`);
    const { url } = (await invited.json()) as { url: string };
    const accepted = await call(null, 'POST', `/api/invitations/accept/${invitationToken(url)}`, {
      name: role === 'admin' ? 'Ada Admin' : 'Mo Member',
      password: 'member password long enough',
    });
    if (accepted.status !== 201)
      throw new Error(`accept failed: ${accepted.status} ${await accepted.text()}`);
    const body = (await accepted.json()) as { user: { id: string } };
    return {
      userId: body.user.id,
      workspaceId: inviter.workspaceId,
      email,
      headers: { cookie: cookieOf(accepted), origin: testOrigin },
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
    signIn,
    addMember,
    sandbox: { provider: sandbox, ledger, webhooks },
    close: async () => {
      await webhooks.idle();
      await database.close();
      if (deliveryDrifts.length > 0) throw deliveryDrifts[0];
    },
  };
}

export type TestApp = ReturnType<typeof testApp>;
