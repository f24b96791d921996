import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider, generateWebhookSecret } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError } from '../http/problem.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { loadEnabledMethod, openMethodCredentials } from './method-lookup.js';
import { createProviderRegistry } from './provider-registry.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
const secretKey = Buffer.alloc(32, 1); // testApp's key
const sandbox = createSandboxProvider();
const providers = createProviderRegistry([sandbox]);
const deps = () => ({ db: app.database.db, providers });

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [sandbox], secretKey });
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Elsewhere');
});
afterAll(() => app.close());

async function connect(credentials: object): Promise<string> {
  const response = await app.call(owner, 'POST', '/api/payment-methods', {
    providerId: 'sandbox',
    credentials,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return { status: (error as ProblemError).status, ...(error as ProblemError).problem };
}

describe('loadEnabledMethod and openMethodCredentials', () => {
  it('loads an enabled method with its provider and opens the stored credentials', async () => {
    const webhookSecret = generateWebhookSecret();
    const id = await connect({ webhookSecret });
    const loaded = await loadEnabledMethod(deps(), owner.workspaceId, id);
    expect(loaded.provider).toBe(sandbox);
    expect(loaded.method).toMatchObject({ id, workspaceId: owner.workspaceId, providerId: 'sandbox' });
    expect(openMethodCredentials(secretKey, loaded)).toEqual({ webhookSecret });
  });

  it('keeps the secret the schema generated on connect', async () => {
    const loaded = await loadEnabledMethod(deps(), owner.workspaceId, await connect({}));
    const credentials = openMethodCredentials(secretKey, loaded) as { webhookSecret: string };
    expect(credentials.webhookSecret).toMatch(/^sbx_whsec_[A-Za-z0-9_-]{43}$/);
    expect(openMethodCredentials(secretKey, loaded)).toEqual(credentials);
  });

  it('refuses a disabled method with 422 method_disabled, and takes it back once enabled', async () => {
    const id = await connect({});
    await app.call(owner, 'PATCH', `/api/payment-methods/${id}`, { enabled: false });
    expect(await refusal(loadEnabledMethod(deps(), owner.workspaceId, id))).toMatchObject({
      status: 422,
      code: 'method_disabled',
      field: 'methodId',
    });
    await app.call(owner, 'PATCH', `/api/payment-methods/${id}`, { enabled: true });
    expect((await loadEnabledMethod(deps(), owner.workspaceId, id)).method.enabled).toBe(true);
  });

  it("answers 404 for another workspace's method or an unknown one, under the caller's field name", async () => {
    const theirs: any = await (await app.call(stranger, 'GET', '/api/payment-methods')).json();
    const strangerMethodId = theirs.paymentMethods[0].id;
    expect(
      await refusal(loadEnabledMethod(deps(), owner.workspaceId, strangerMethodId, 'method')),
    ).toMatchObject({
      status: 404,
      code: 'not_found',
      field: 'method',
    });
    expect(
      await refusal(loadEnabledMethod(deps(), owner.workspaceId, '00000000-0000-4000-8000-000000000000')),
    ).toMatchObject({ status: 404 });
  });

  it('refuses a method whose plugin is no longer installed', async () => {
    const id = await connect({});
    const without = { db: app.database.db, providers: createProviderRegistry([]) };
    expect(await refusal(loadEnabledMethod(without, owner.workspaceId, id))).toMatchObject({
      status: 422,
      code: 'provider_not_installed',
    });
  });

  it('refuses to open credentials sealed under another key, asking to reconnect', async () => {
    const loaded = await loadEnabledMethod(deps(), owner.workspaceId, await connect({}));
    expect(
      await refusal(Promise.resolve().then(() => openMethodCredentials(Buffer.alloc(32, 2), loaded))),
    ).toMatchObject({
      status: 422,
      code: 'method_credentials_unreadable',
    });
  });
});
