import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slowProvider, type TimedResponse, timeRequests } from '../testing/slow-provider.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  type CrmFixture,
  checkout,
  createDeal,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  testCard,
} from './public-pay-fixtures.js';

// A provider that takes 2 s to answer must hold up only the request that asked it. On PGlite there
// is one connection: a transaction left open across the provider call would make every request
// below wait the full 2 s.

const inner = createSandboxProvider();
/** When set, checkout sends the payer to a hosted page, so the return page must ask for the status. */
let hosted = false;
const provider = slowProvider(
  {
    ...inner,
    async startCheckout(input) {
      const result = await inner.startCheckout(input);
      if (!hosted || result.kind !== 'immediate') return result;
      return {
        kind: 'redirect' as const,
        providerReference: result.providerReference,
        redirectUrl: `https://sandbox.example/checkout/${result.providerReference}`,
      };
    },
  },
  0,
);
const providerDelayMs = 2000;

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;
let elsewhere: { token: string };

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [provider] });
  ada = await app.signUp('Slow Provider');
  crm = await crmFixture(app, ada);
  elsewhere = await createLink(app, ada, crm, { origin: 'contact' });
});
afterAll(() => app.close());
beforeEach(() => {
  nextMinute(app);
  hosted = false;
  provider.delayMs = 0;
});

/** What the rest of the app is doing meanwhile: a health check, the CRM, another payer's page. */
const others = {
  health: () => app.request('/api/health'),
  contacts: () => app.call(ada, 'GET', '/api/contacts'),
  'another payment page': async () => (await openLink(app, elsewhere.token)).response,
};

/** A visit to a fresh deal link and the checkout it leads to, answered at once. */
async function visit() {
  const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
  const paymentId: string = ((await (await openLink(app, link.token)).response.json()) as any).paymentId;
  const pay = () =>
    checkout(app, link.token, {
      paymentId,
      email: 'payer@example.com',
      phone: '+31 6 12345678',
      card: testCard,
    });
  return { link, paymentId, pay };
}

/** Starts `slow`, and once it is waiting on the provider, times `requests`; then lets it finish. */
async function whileProviderIsSlow(
  slow: () => Response | Promise<Response>,
  requests: Record<string, () => Response | Promise<Response>>,
) {
  await timeRequests(others); // warm: first calls pay for loading code, not for waiting
  provider.delayMs = providerDelayMs;
  const atProvider = provider.nextCall();
  let answered = false;
  const pending = Promise.resolve(slow()).finally(() => (answered = true));
  await atProvider;
  const timed = await timeRequests(requests);
  const overlapped = !answered;
  return { response: await pending, timed, overlapped };
}

function expectAnsweredInNormalTime({ timed, overlapped }: { timed: TimedResponse[]; overlapped: boolean }) {
  expect(timed.length).toBeGreaterThan(0);
  for (const answer of timed) {
    expect(answer.status, answer.label).toBe(200);
    expect(answer.ms, `${answer.label} took ${answer.ms} ms`).toBeLessThan(providerDelayMs / 4);
  }
  // The slow call was still out while the others answered: they did not just come after it.
  expect(overlapped).toBe(true);
}

describe('while the provider takes 2 s to answer', () => {
  it('a checkout holds up nobody else', async () => {
    const { pay } = await visit();
    const { response, ...meanwhile } = await whileProviderIsSlow(pay, others);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'result', status: 'complete' });
    expectAnsweredInNormalTime(meanwhile);
  });

  it('a return page asking for the status holds up nobody else, and its other polls answer at once', async () => {
    hosted = true;
    const { link, paymentId, pay } = await visit();
    expect(await (await pay()).json()).toMatchObject({ kind: 'redirect' });
    const poll = () => app.request(`/api/pay/${link.token}/status?payment=${paymentId}`);
    const fetchesBefore = provider.calls.fetchStatus;
    const { response, ...meanwhile } = await whileProviderIsSlow(poll, {
      ...others,
      'the same page polling': poll,
    });
    expect(await response.json()).toMatchObject({ status: 'complete' });
    expectAnsweredInNormalTime(meanwhile);
    expect(provider.calls.fetchStatus - fetchesBefore).toBe(1);
  });

  it('a refund holds up nobody else', async () => {
    const { paymentId, pay } = await visit();
    expect(await (await pay()).json()).toMatchObject({ status: 'complete' });
    const refund = () => app.call(ada, 'POST', `/api/payments/${paymentId}/refunds`);
    const { response, ...meanwhile } = await whileProviderIsSlow(refund, others);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'returned' });
    expectAnsweredInNormalTime(meanwhile);
  });
});
