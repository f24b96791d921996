// A client an integrator would write: types generated from /api/openapi.json by openapi-typescript,
// calls through openapi-fetch. generated-client.int.test.ts generates ./paylinks-api.d.ts next to a
// copy of this file, typechecks both (so a document change that breaks a generated client fails),
// then walks this journey against the real app. Nothing here is cast: the types come from the document.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './paylinks-api.js';

export type PaylinksClient = Client<paths>;

export interface JourneyOptions {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
}

export interface JourneyResult {
  linkUrl: string;
  paymentStatus: string;
  paymentsSeen: number;
}

function fail(step: string, error: unknown, response: Response): never {
  throw new Error(`${step}: ${response.status} ${JSON.stringify(error)}`);
}

/** Sign up, create a contact and a link, open it as the payer, pay with the sandbox card, see the payment. */
export async function walkJourney(options: JourneyOptions, email: string): Promise<JourneyResult> {
  const origin = new URL(options.baseUrl).origin;
  const anonymous = createClient<paths>({ ...options, headers: { origin } });

  const signUp = await anonymous.POST('/api/signup', {
    body: { name: 'Ada Owner', email, password: 'correct horse battery staple', workspaceName: 'Acme' },
  });
  if (!signUp.data) fail('sign up', signUp.error, signUp.response);
  const cookie = signUp.response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0])
    .join('; ');
  const team = createClient<paths>({ ...options, headers: { origin, cookie } });

  const contact = await team.POST('/api/contacts', {
    body: { name: 'Grace Payer', email: 'grace@example.com' },
  });
  if (!contact.data) fail('create contact', contact.error, contact.response);

  const methods = await team.GET('/api/payment-methods');
  if (!methods.data) fail('list methods', methods.error, methods.response);
  const sandbox = methods.data.paymentMethods.find((method) => method.providerId === 'sandbox');
  if (!sandbox) throw new Error('no sandbox method');

  const link = await team.POST('/api/payment-links', {
    params: { header: { 'Idempotency-Key': `journey-${email}` } },
    body: {
      origin: 'contact',
      contactId: contact.data.id,
      methodId: sandbox.id,
      amount: '25.00',
      currency: 'EUR',
      description: 'Workshop seat',
      validityDays: 7,
    },
  });
  if (!link.data) fail('create link', link.error, link.response);
  const token = new URL(link.data.url).pathname.split('/').pop() ?? '';

  const page = await anonymous.GET('/api/pay/{token}', { params: { path: { token } } });
  if (!page.data) fail('open link', page.error, page.response);

  const checkout = await anonymous.POST('/api/pay/{token}/checkout', {
    params: { path: { token } },
    body: {
      paymentId: page.data.paymentId,
      email: 'grace@example.com',
      phone: '+31 6 12345678',
      card: { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' },
    },
  });
  if (!checkout.data) fail('checkout', checkout.error, checkout.response);
  const paymentId = checkout.data.paymentId;

  const payment = await team.GET('/api/payments/{id}', { params: { path: { id: paymentId } } });
  if (!payment.data) fail('see the payment', payment.error, payment.response);
  const payments = await team.GET('/api/payments', { params: { query: { contactId: contact.data.id } } });
  if (!payments.data) fail('list payments', payments.error, payments.response);

  return {
    linkUrl: link.data.url,
    paymentStatus: payment.data.status,
    paymentsSeen: payments.data.items.length,
  };
}
