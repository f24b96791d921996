import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  type CrmFixture,
  checkout,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  paymentsOfLink,
  testCard,
} from './public-pay-fixtures.js';

type Json = any;

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

const payer = { email: 'payer@example.com', phone: '+31 6 12345678' };

async function unrecordedOf(linkId: string): Promise<number> {
  const response = await app.call(ada, 'GET', `/api/payment-links/${linkId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as Json).unrecordedClickThroughs;
}

describe('a burst of click-throughs on one link', () => {
  it('300 cookie-less visits: every page is served, 30 a minute are stored as payments, the rest counted', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    expect(await unrecordedOf(link.id)).toBe(0);
    const perMinute: { stored: number; served: number }[] = [];
    // 50 a minute keeps one test client under the per-address view limit, which is not what is tested.
    for (let minute = 0; minute < 6; minute++) {
      nextMinute(app);
      let stored = 0;
      let served = 0;
      for (let i = 0; i < 50; i++) {
        const { response } = await openLink(app, link.token);
        if (response.status === 200) served += 1;
        if (((await response.json()) as Json).paymentId !== null) stored += 1;
      }
      perMinute.push({ stored, served });
    }
    expect(perMinute).toEqual(Array(6).fill({ stored: 30, served: 50 }));
    expect(await paymentsOfLink(app, link.id)).toHaveLength(180);
    expect(await unrecordedOf(link.id)).toBe(120);
  });

  it('a payer arriving beyond the cap still pays: checkout records their payment, and their refresh finds it', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    for (let i = 0; i < 30; i++) await openLink(app, link.token);
    const late = await openLink(app, link.token);
    expect(late.response.status).toBe(200);
    const view = (await late.response.json()) as Json;
    expect(view).toMatchObject({ paymentId: null, state: 'active' });
    expect(view.checkoutFields).toContain('cardNumber');

    const paid = await app.request(`/api/pay/${link.token}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: late.cookie! },
      body: JSON.stringify({ paymentId: null, ...payer, card: testCard }),
    });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ kind: 'result', status: 'complete' });
    const rows = await paymentsOfLink(app, link.id);
    expect(rows).toHaveLength(31);
    const recorded = rows.filter((row) => row.status === 'complete');
    expect(recorded).toHaveLength(1);

    const refreshed = await openLink(app, link.token, { cookie: late.cookie });
    expect(((await refreshed.response.json()) as Json).paymentId).toBe(recorded[0]!.id);
    expect(await unrecordedOf(link.id)).toBe(1);
  });

  it('a checkout without a payment id is still checked first: bad card fields record nothing', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const response = await checkout(app, link.token, { ...payer, card: { ...testCard, expiry: '13/99' } });
    expect(response.status).toBe(422);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });
});
