import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import { inject } from 'vitest';
import type { components, paths } from '../../src/lib/api/schema';

export type TestApi = ReturnType<typeof createClient<paths>>;

export interface Workspace {
  /** Signed in as the workspace's owner: the session cookie and our Origin on every request. */
  api: TestApi;
  /** The Cookie header, for a browser context that should be signed in too. */
  cookie: string;
  email: string;
  password: string;
}

/** A client for the server under test; with a cookie it calls as that team member. */
export function testApi(cookie?: string): TestApi {
  const baseUrl = inject('baseUrl');
  return createClient<paths>({
    baseUrl,
    // The API refuses cookie-authenticated mutations without our Origin, as a browser sends it.
    headers: { origin: baseUrl, ...(cookie ? { cookie } : {}) },
  });
}

/** Signs up a new workspace (its owner signed in), with the sandbox method and the Sales pipeline. */
export async function signUpWorkspace(name = 'Ada Courses'): Promise<Workspace> {
  const email = `owner-${randomUUID()}@example.com`;
  const password = 'a long password for tests';
  const { response } = await testApi().POST('/api/signup', {
    body: { name: 'Ada Owner', email, password, workspaceName: name },
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { api: testApi(cookie), cookie, email, password };
}

/** A link's fields besides where it is made; the target is a contact (the default) or a deal. */
type LinkFields = Omit<components['schemas']['CreateContactPaymentLink'], 'origin' | 'contactId'>;
type LinkOverrides = Partial<LinkFields> & { target?: { origin: 'deal'; dealId: string } };

/**
 * A contact and a payment link on it through the API, paid with the workspace's sandbox method.
 * Overrides change the link's fields (amount, currency, validityDays…).
 */
export async function createLink(
  workspace: Workspace,
  { target, ...overrides }: LinkOverrides = {},
): Promise<components['schemas']['PaymentLink']> {
  const { api } = workspace;
  const contact = await api.POST('/api/contacts', {
    body: { name: 'Grace Payer', email: `payer-${randomUUID()}@example.com` },
  });
  if (!contact.data) throw new Error(`creating a contact answered ${contact.response.status}`);
  const methods = await api.GET('/api/payment-methods');
  const method = methods.data?.paymentMethods[0];
  if (!method) throw new Error(`the workspace has no payment method (${methods.response.status})`);
  const link = await api.POST('/api/payment-links', {
    body: {
      ...(target ?? { origin: 'contact', contactId: contact.data.id }),
      methodId: method.id,
      amount: '25.00',
      currency: 'EUR',
      description: 'Course deposit',
      validityDays: 7,
      type: 'custom',
      ...overrides,
    },
  });
  if (!link.data) throw new Error(`creating a link answered ${link.response.status}`);
  return link.data;
}
