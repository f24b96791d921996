import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPaymentEvent } from '../payments/apply-payment-event.js';
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

const dealLink = () => createLink(app, ada, crm, { origin: 'deal' });

describe('opening a payment link', () => {
  it('shows the public view only, and records the visit as a payment in Processing', async () => {
    const link = await dealLink();
    const { response, setCookie, cookie } = await openLink(app, link.token);
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body).toEqual({
      method: { displayName: 'Sandbox (test mode)' },
      description: 'Website redesign, first half',
      amount: { amount: '120.50', currency: 'EUR' },
      state: 'active',
      daysLeft: 7,
      expiresAt: new Date(app.clock.now().getTime() + 7 * 86_400_000).toISOString(),
      testMode: true,
      checkoutFields: ['cardNumber', 'expiry', 'cvc', 'cardName'],
      paymentId: expect.any(String),
    });
    const text = JSON.stringify(body);
    for (const secret of [
      'Grace',
      'grace@example.com',
      '+316',
      crm.contactId,
      crm.dealId,
      ada.workspaceId,
      link.id,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(setCookie).toMatch(/^paylinks_visitor=[A-Za-z0-9_-]{22};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const [payment, ...more] = await paymentsOfLink(app, link.id);
    expect(more).toHaveLength(0);
    expect(payment).toMatchObject({
      id: body.paymentId,
      status: 'processing',
      amountMinor: 12_050n,
      currency: 'EUR',
      dealId: crm.dealId,
      contactId: crm.contactId,
      clickUserAgent: expect.stringContaining('Chrome/'),
      clickedAt: app.clock.now(),
    });
    // Only a hash of the visitor id is kept.
    expect(payment!.clickVisitorKey).toBeTruthy();
    expect(payment!.clickVisitorKey).not.toContain(cookie!.split('=')[1]);
    const detail: any = await (await app.call(ada, 'GET', `/api/payments/${body.paymentId}`)).json();
    expect(detail.events).toEqual([
      expect.objectContaining({ from: null, to: 'processing', outcome: 'created' }),
    ]);
  });

  it.each([
    ['Slack preview', { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' }],
    ['Facebook preview', { 'user-agent': 'facebookexternalhit/1.1' }],
    ['curl', { 'user-agent': 'curl/8.5.0' }],
    ['no user agent', { 'user-agent': '' }],
    ['Sec-Purpose prefetch', { 'sec-purpose': 'prefetch' }],
    ['Purpose prefetch', { purpose: 'prefetch' }],
    ['X-Moz prefetch', { 'x-moz': 'prefetch' }],
    ['an image fetch', { 'sec-fetch-dest': 'image' }],
  ])('%s sees the link but records nothing', async (_what, headers) => {
    const link = await dealLink();
    const { response, setCookie } = await openLink(app, link.token, { headers });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).paymentId).toBeNull();
    expect(setCookie).toBeUndefined();
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });

  it('a HEAD request records nothing', async () => {
    const link = await dealLink();
    const { response } = await openLink(app, link.token, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });

  it('the same browser refreshing records one visit and gets the same payment back; later it is a new visit', async () => {
    const link = await dealLink();
    const first = await openLink(app, link.token);
    const firstId = ((await first.response.json()) as any).paymentId;
    const again = await openLink(app, link.token, { cookie: first.cookie });
    expect(again.setCookie).toBeUndefined();
    expect(((await again.response.json()) as any).paymentId).toBe(firstId);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);

    app.clock.set(new Date(app.clock.now().getTime() + 31 * 60 * 1000));
    const later = await openLink(app, link.token, { cookie: first.cookie });
    expect(((await later.response.json()) as any).paymentId).not.toBe(firstId);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(2);
  });

  it('a payer coming back after cancelling at the provider gets a fresh payment to try again with', async () => {
    const link = await dealLink();
    const first = await openLink(app, link.token);
    const firstId = ((await first.response.json()) as any).paymentId;
    // The hosted checkout was cancelled (a provider event, not a declined card on our page).
    const cancelled = await applyPaymentEvent(
      app.database.db,
      {
        workspaceId: ada.workspaceId,
        paymentId: firstId,
        status: 'cancelled',
        source: 'webhook',
        now: app.clock.now(),
      },
      app.logger,
    );
    expect(cancelled.kind).toBe('applied');

    const again = await openLink(app, link.token, { cookie: first.cookie });
    const againId = ((await again.response.json()) as any).paymentId;
    expect(againId).not.toBe(firstId);
    expect((await paymentsOfLink(app, link.id)).map((p) => p.status).sort()).toEqual([
      'cancelled',
      'processing',
    ]);
    const payer = { email: 'payer@example.com', phone: '+31612345678' };
    const paid = await checkout(app, link.token, { paymentId: againId, ...payer, card: testCard });
    expect(paid.status).toBe(200);
  });

  it('two browsers record two visits', async () => {
    const link = await dealLink();
    const one = await openLink(app, link.token);
    const two = await openLink(app, link.token);
    expect(one.cookie).not.toBe(two.cookie);
    await openLink(app, link.token, { cookie: one.cookie });
    await openLink(app, link.token, { cookie: two.cookie });
    expect(await paymentsOfLink(app, link.id)).toHaveLength(2);
  });

  it('a tampered visitor cookie is replaced and the visit recorded', async () => {
    const link = await dealLink();
    const { response, setCookie } = await openLink(app, link.token, { cookie: 'paylinks_visitor=<script>' });
    expect(response.status).toBe(200);
    expect(setCookie).toBeDefined();
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);
  });

  it('an expired link answers 410 link_expired and records nothing', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal', validityDays: 1 });
    app.clock.set(new Date(app.clock.now().getTime() + 24 * 60 * 60 * 1000));
    const { response, setCookie } = await openLink(app, link.token);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'link_expired', status: 410 });
    expect(setCookie).toBeUndefined();
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });

  it('a deleted link answers 410 link_deleted and records nothing', async () => {
    const link = await dealLink();
    expect((await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`)).status).toBe(200);
    const { response } = await openLink(app, link.token);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'link_deleted' });
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });

  it.each([
    ['unknown', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'.slice(0, 22)],
    ['malformed', 'not-a-token'],
    ['a team-side uuid', '00000000-0000-4000-8000-000000000000'],
  ])('an %s token answers 404', async (_what, token) => {
    const { response } = await openLink(app, token);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found', field: 'token' });
  });

  it('a huge token is refused without a lookup', async () => {
    const { response } = await openLink(app, 'a'.repeat(5000));
    expect(response.status).toBe(422);
  });

  it('answers 429 after 60 views a minute from one client, and again in the next minute', async () => {
    const answers = [];
    for (let i = 0; i < 61; i++) answers.push((await openLink(app, 'not-a-token')).response.status);
    expect(answers.slice(0, 60).every((s) => s === 404)).toBe(true);
    const limited = await openLink(app, 'not-a-token');
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.response.json()).toMatchObject({ code: 'rate_limited' });
    nextMinute(app);
    expect((await openLink(app, 'not-a-token')).response.status).toBe(404);
  });
});

describe('the public routes in the OpenAPI document', () => {
  it('are listed under "Payment page"', async () => {
    const doc: any = await (await app.request('/api/openapi.json')).json();
    for (const path of ['/api/pay/{token}', '/api/pay/{token}/checkout', '/api/pay/{token}/status']) {
      const operations = Object.values(doc.paths[path] ?? {}) as any[];
      expect(operations.length, path).toBeGreaterThan(0);
      expect(operations[0].tags).toEqual(['Payment page']);
    }
  });
});
