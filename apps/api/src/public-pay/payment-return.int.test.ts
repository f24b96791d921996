import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statusFetchIntervalMs } from '../payments/status-fetch-claim.js';
import { slowProvider } from '../testing/slow-provider.js';
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

// A sandbox that answers like a hosted-page provider: it sends the payer away and says nothing yet,
// so the return page has to ask for the status. `down` makes its status fetch fail; `open` makes it
// say the payer is still on the provider's page.
const inner = createSandboxProvider();
let down = false;
let open = false;
const redirecting = {
  ...inner,
  async startCheckout(input: Parameters<typeof inner.startCheckout>[0]) {
    const result = await inner.startCheckout(input);
    if (result.kind !== 'immediate') return result;
    return {
      kind: 'redirect' as const,
      providerReference: result.providerReference,
      redirectUrl: `https://sandbox.example/checkout/${result.providerReference}?return=${encodeURIComponent(input.returnUrl)}`,
    };
  },
  async fetchStatus(input: Parameters<NonNullable<typeof inner.fetchStatus>>[0]) {
    if (down) throw new Error('provider is down');
    const fetched = await inner.fetchStatus!(input);
    if (!open || !fetched.ok) return fetched;
    return { ...fetched, value: { ...fetched.value, status: 'processing' as const } };
  },
};
// Counts the status fetches; `delayMs` stays 0 unless a test needs a fetch to be in flight.
const provider = slowProvider(redirecting, 0);

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [provider] });
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
});
afterAll(() => app.close());
beforeEach(() => {
  nextMinute(app);
  down = false;
  open = false;
  provider.delayMs = 0;
});

async function redirected() {
  const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
  const paymentId: string = ((await (await openLink(app, link.token)).response.json()) as any).paymentId;
  const response = await checkout(app, link.token, {
    paymentId,
    email: 'payer@example.com',
    phone: '+31 6 12345678',
    card: testCard,
  });
  expect(response.status).toBe(200);
  return { link, paymentId, body: (await response.json()) as any };
}

const status = (token: string, paymentId: string) =>
  app.request(`/api/pay/${token}/status?payment=${paymentId}`);

describe('returning from the provider', () => {
  it('checkout answers the redirect, whose return URL names our page and the payment', async () => {
    const { link, paymentId, body } = await redirected();
    expect(body.kind).toBe('redirect');
    const returnUrl = new URL(body.redirectUrl).searchParams.get('return');
    expect(returnUrl).toBe(`http://localhost:3000/pay/${link.token}/return?payment=${paymentId}`);
    const detail: any = await (await app.call(ada, 'GET', `/api/payments/${paymentId}`)).json();
    expect(detail.status).toBe('processing');
  });

  it('the return page asks the provider and applies its answer once', async () => {
    const { link, paymentId } = await redirected();
    const first = await status(link.token, paymentId);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      paymentId,
      status: 'complete',
      statusLabel: 'Complete',
      description: 'Website redesign, first half',
      amount: { amount: '120.50', currency: 'EUR' },
    });
    expect(await (await status(link.token, paymentId)).json()).toMatchObject({ status: 'complete' });
    const detail: any = await (await app.call(ada, 'GET', `/api/payments/${paymentId}`)).json();
    const applied = detail.events.filter((e: any) => e.outcome === 'applied');
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ from: 'processing', to: 'complete' });
  });

  it('when the provider cannot be reached the page shows the status we have', async () => {
    const { link, paymentId } = await redirected();
    down = true;
    const response = await status(link.token, paymentId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'processing' });
  });

  it('a payment of another link is not shown', async () => {
    const one = await redirected();
    const two = await redirected();
    expect((await status(one.link.token, two.paymentId)).status).toBe(404);
  });

  it('asks the provider at most once per payment in a window, however often the page polls', async () => {
    const { link, paymentId } = await redirected();
    open = true;
    const before = provider.calls.fetchStatus;
    for (let poll = 0; poll < 20; poll++) {
      expect(await (await status(link.token, paymentId)).json()).toMatchObject({ status: 'processing' });
    }
    expect(provider.calls.fetchStatus - before).toBe(1);
    // Once the window has passed, the next poll asks again, and sees the payer has paid.
    app.clock.set(new Date(app.clock.now().getTime() + statusFetchIntervalMs));
    open = false;
    expect(await (await status(link.token, paymentId)).json()).toMatchObject({ status: 'complete' });
    expect(provider.calls.fetchStatus - before).toBe(2);
  });

  it('polls that arrive together make one provider call; the others answer what we know', async () => {
    const { link, paymentId } = await redirected();
    open = true;
    // Long enough that every poll arrives while the one provider call is still out.
    provider.delayMs = 300;
    const before = provider.calls.fetchStatus;
    const answers = await Promise.all(Array.from({ length: 20 }, () => status(link.token, paymentId)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const answer of answers) expect(await answer.json()).toMatchObject({ status: 'processing' });
    expect(provider.calls.fetchStatus - before).toBe(1);
  });
});
