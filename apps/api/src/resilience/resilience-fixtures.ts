import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Test support for the resilience suite: a workspace set up over HTTP against a real server
// process, the payer's two requests (open the link, pay), and what the kernel says about a process.

// biome-ignore lint/suspicious/noExplicitAny: test support reads API answers loosely, like the tests do.
type Json = any;

export const browser =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const payingCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' };

/** A port nobody listens on right now, so a restarted server can bind the address its callers know. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function expectStatus(response: Response, status: number): Promise<Json> {
  if (response.status !== status) throw new Error(`${response.status}: ${await response.text()}`);
  return response.json();
}

export interface HttpWorkspace {
  workspaceId: string;
  /** Cookie, Origin and JSON content type: what the CRM UI sends. */
  member: Record<string, string>;
  methodId: string;
  contactId: string;
}

/**
 * Signs up (the first workspace of a fresh install), connects a sandbox method whose webhook secret
 * the test chose, so the test can sign events as the provider would, and adds one contact.
 */
export async function setUpWorkspace(
  origin: string,
  publicUrl: string,
  webhookSecret: string,
): Promise<HttpWorkspace> {
  const json = { origin: publicUrl, 'content-type': 'application/json' };
  const signUp = await fetch(`${origin}/api/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      name: 'Rita Resilience',
      email: `rita-${Math.random().toString(36).slice(2, 10)}@example.com`,
      password: 'a long password for resilience',
      workspaceName: 'Resilience',
    }),
  });
  const { workspace } = await expectStatus(signUp, 201);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  const member = { ...json, cookie };
  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: member, body: JSON.stringify(body) });
  const method = await expectStatus(
    await post('/api/payment-methods', {
      providerId: 'sandbox',
      displayName: 'Sandbox (resilience)',
      credentials: { webhookSecret },
    }),
    201,
  );
  const contact = await expectStatus(
    await post('/api/contacts', { name: 'Piet Payer', email: 'piet.payer@example.com' }),
    201,
  );
  return { workspaceId: workspace.id, member, methodId: method.id, contactId: contact.id };
}

/** The body of POST /api/payment-links for a contact link of this workspace's sandbox method. */
export function linkBody(workspace: HttpWorkspace, description: string) {
  return {
    origin: 'contact',
    contactId: workspace.contactId,
    description,
    methodId: workspace.methodId,
    amount: '42.00',
    currency: 'EUR',
    validityDays: 7,
  };
}

/** Creates `count` contact links through the API; returns their tokens. */
export async function createLinks(
  origin: string,
  workspace: HttpWorkspace,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${origin}/api/payment-links`, {
      method: 'POST',
      headers: workspace.member,
      body: JSON.stringify(linkBody(workspace, `Resilience link ${i}`)),
    });
    const link = await expectStatus(response, 201);
    tokens.push(new URL(link.url).pathname.split('/').pop()!);
  }
  return tokens;
}

export interface View {
  status: number;
  paymentId: string | null;
  /** The visitor cookie this browser holds after the answer. */
  cookie: string | undefined;
  code?: string;
  retryAfter: string | null;
}

/** Opens the payment page like a browser (the click-through). */
export async function viewLink(
  origin: string,
  token: string,
  cookie?: string,
  signal?: AbortSignal,
): Promise<View> {
  const response = await fetch(`${origin}/api/pay/${token}`, {
    headers: { 'user-agent': browser, 'sec-fetch-dest': 'document', ...(cookie ? { cookie } : {}) },
    ...(signal ? { signal } : {}),
  });
  const body: Json = await response.json().catch(() => ({}));
  const set = response.headers.getSetCookie().find((c) => c.startsWith('paylinks_visitor='));
  return {
    status: response.status,
    paymentId: body.paymentId ?? null,
    cookie: set?.split(';', 1)[0] ?? cookie,
    code: body.code,
    retryAfter: response.headers.get('retry-after'),
  };
}

export interface CheckoutAnswer {
  status: number;
  result?: string;
  paymentId?: string;
  code?: string;
  retryAfter: string | null;
}

/** Submits the payer's details with the sandbox's paying card. */
export async function payLink(
  origin: string,
  token: string,
  paymentId: string | null,
  cookie?: string,
  signal?: AbortSignal,
): Promise<CheckoutAnswer> {
  const response = await fetch(`${origin}/api/pay/${token}/checkout`, {
    method: 'POST',
    ...(signal ? { signal } : {}),
    headers: { 'content-type': 'application/json', 'user-agent': browser, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({
      paymentId,
      email: 'payer@example.com',
      phone: '+31 6 12345678',
      card: payingCard,
    }),
  });
  const body: Json = await response.json().catch(() => ({}));
  return {
    status: response.status,
    result: body.status,
    paymentId: body.paymentId,
    code: body.code,
    retryAfter: response.headers.get('retry-after'),
  };
}

/** Resident memory of a process in KiB, from /proc (Linux). */
export function residentKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** Rate limits raised far beyond what a test sends from its one address (README: Configuration). */
export const unlimitedPublicPay = {
  PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '1000000000',
  PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '1000000000',
  PAYLINKS_RATE_LIMIT_STATUS_PER_MIN: '1000000000',
};

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
