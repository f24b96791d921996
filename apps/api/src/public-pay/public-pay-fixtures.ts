import { payments } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import type { TestApp, TestMember } from '../testing/test-app.js';

export const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const testCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' };

// biome-ignore lint/suspicious/noExplicitAny: test fixtures read API answers loosely, like the tests do.
type Json = any;

async function ok(response: Response, status = 201): Promise<Json> {
  if (response.status !== status) throw new Error(`${response.status}: ${await response.text()}`);
  return response.json();
}

/** A contact, a deal on it and the sandbox method, all through the CRM API. */
export async function crmFixture(app: TestApp, member: TestMember) {
  const contact = await ok(
    await app.call(member, 'POST', '/api/contacts', {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      phone: '+31 6 12345678',
    }),
  );
  const deal = await ok(
    await app.call(member, 'POST', '/api/deals', { title: 'Website redesign', contactId: contact.id }),
  );
  const methods = await ok(await app.call(member, 'GET', '/api/payment-methods'), 200);
  const pipelines = await ok(await app.call(member, 'GET', '/api/pipelines'), 200);
  const sales = pipelines.pipelines.find((p: Json) => p.isDefault);
  return {
    contactId: contact.id as string,
    dealId: deal.id as string,
    methodId: methods.paymentMethods[0].id as string,
    pipelineId: sales.id as string,
    stages: Object.fromEntries(sales.stages.map((s: Json) => [s.name, s.id])) as Record<string, string>,
  };
}

export type CrmFixture = Awaited<ReturnType<typeof crmFixture>>;

/** A link through the API; returns its id and token. */
export async function createLink(
  app: TestApp,
  member: TestMember,
  crm: CrmFixture,
  values: { origin: 'deal' | 'contact'; dealId?: string; validityDays?: number | null; amount?: string },
) {
  const link = await ok(
    await app.call(member, 'POST', '/api/payment-links', {
      origin: values.origin,
      ...(values.origin === 'deal' ? { dealId: values.dealId ?? crm.dealId } : { contactId: crm.contactId }),
      description: 'Website redesign, first half',
      methodId: crm.methodId,
      amount: values.amount ?? '120.50',
      currency: 'EUR',
      validityDays: values.validityDays ?? 7,
    }),
  );
  return { id: link.id as string, token: new URL(link.url).pathname.split('/').pop()! };
}

/** A fresh deal through the API, for tests that need a deal link of their own. */
export async function createDeal(app: TestApp, member: TestMember, crm: CrmFixture) {
  const deal = await ok(
    await app.call(member, 'POST', '/api/deals', { title: 'Another deal', contactId: crm.contactId }),
  );
  return deal.id as string;
}

/** Opens the link like a browser; `cookie` is the visitor cookie, if this browser has one. */
export async function openLink(
  app: TestApp,
  token: string,
  options: { cookie?: string; headers?: Record<string, string>; method?: string } = {},
) {
  const response = await app.request(`/api/pay/${token}`, {
    method: options.method ?? 'GET',
    headers: {
      'user-agent': chrome,
      'sec-fetch-dest': 'document',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
  });
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('paylinks_visitor='));
  return { response, setCookie, cookie: setCookie?.split(';', 1)[0] ?? options.cookie };
}

export function checkout(app: TestApp, token: string, body: unknown) {
  return app.request(`/api/pay/${token}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': chrome },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function paymentsOfLink(app: TestApp, linkId: string) {
  return app.database.db.select().from(payments).where(eq(payments.linkId, linkId));
}

/** The rate limiter counts per minute of the app's clock; tests step past it instead of sleeping. */
export function nextMinute(app: TestApp) {
  app.clock.set(new Date(app.clock.now().getTime() + 60_000));
}
