import { expect } from 'vitest';

// Test support for database outages: a workspace seeded over HTTP, and one request per kind of
// caller, so a test can ask every one of them what it says while the database is away.

export type Send = (path: string, init?: RequestInit) => Promise<Response>;

export interface OutageWorld {
  email: string;
  password: string;
  cookie: string;
  apiKey: string;
  apiKeyId: string;
  linkToken: string;
}

const password = 'a long password for outages';

// biome-ignore lint/suspicious/noExplicitAny: test support reads API answers loosely, like the tests do.
type Json = any;

async function ok(response: Response, status: number): Promise<Json> {
  if (response.status !== status) throw new Error(`${response.status}: ${await response.text()}`);
  return response.json();
}

/** Signs up, makes an API key, a contact and a payment link, all through the API. */
export async function seedOutageWorld(send: Send, origin: string): Promise<OutageWorld> {
  const email = `outage-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const json = { origin, 'content-type': 'application/json' };
  const signUp = await send('/api/signup', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name: 'Olga Outage', email, password, workspaceName: 'Outage' }),
  });
  await ok(signUp, 201);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  const member = { ...json, cookie };
  const { key, id: apiKeyId } = await ok(
    await send('/api/api-keys', {
      method: 'POST',
      headers: member,
      body: JSON.stringify({ name: 'script' }),
    }),
    201,
  );
  const contact = await ok(
    await send('/api/contacts', {
      method: 'POST',
      headers: member,
      body: JSON.stringify({ name: 'Piet Payer', email: 'piet.payer@example.com' }),
    }),
    201,
  );
  const { paymentMethods } = await ok(await send('/api/payment-methods', { headers: member }), 200);
  const link = await ok(
    await send('/api/payment-links', {
      method: 'POST',
      headers: member,
      body: JSON.stringify({
        origin: 'contact',
        contactId: contact.id,
        description: 'Course fee',
        methodId: paymentMethods[0].id,
        amount: '42.00',
        currency: 'EUR',
        validityDays: 7,
      }),
    }),
    201,
  );
  return {
    email,
    password,
    cookie,
    apiKey: key,
    apiKeyId,
    linkToken: new URL(link.url).pathname.split('/').pop()!,
  };
}

/** One request per way in: session cookie, API key, the public payment page, sign-in, health. */
export function outageProbes(send: Send, origin: string, world: OutageWorld) {
  return {
    'a cookie-session route': () => send('/api/contacts', { headers: { origin, cookie: world.cookie } }),
    'an API-key route': () => send('/api/contacts', { headers: { authorization: `Bearer ${world.apiKey}` } }),
    'the public payment page': () =>
      send(`/api/pay/${world.linkToken}`, {
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
      }),
    'sign-in': () =>
      send('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: world.email, password: world.password }),
      }),
    health: () => send('/api/health'),
  } satisfies Record<string, () => Promise<Response>>;
}

export type OutageProbes = ReturnType<typeof outageProbes>;

/** What each probe answered: status, problem code and Retry-After, side by side for one assertion. */
async function answers(probes: OutageProbes) {
  const seen: Record<string, { status: number; code: unknown; retryAfter: string | null }> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const response = await probe();
    const body: Json = await response.json().catch(() => ({}));
    seen[name] = {
      status: response.status,
      code: body.code,
      retryAfter: response.headers.get('retry-after'),
    };
  }
  return seen;
}

/** Every probe answers 503 database_unavailable with a Retry-After of a few seconds. */
export async function expectAllUnavailable(probes: OutageProbes): Promise<void> {
  const unavailable = { status: 503, code: 'database_unavailable', retryAfter: '5' };
  expect(await answers(probes)).toEqual(
    Object.fromEntries(Object.keys(probes).map((name) => [name, unavailable])),
  );
}

/** Every probe answers as it does on a healthy day. */
export async function expectAllServing(probes: OutageProbes): Promise<void> {
  const seen = await answers(probes);
  expect(Object.fromEntries(Object.entries(seen).map(([name, { status }]) => [name, status]))).toEqual(
    Object.fromEntries(Object.keys(probes).map((name) => [name, 200])),
  );
}
