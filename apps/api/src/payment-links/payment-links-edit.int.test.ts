import { paymentLinkChanges, paymentLinks } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CrmFixture,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  paymentsOfLink,
} from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let ada: TestMember;
let mo: TestMember;
let rival: TestMember;
let crm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [ada, rival] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  mo = await app.addMember(ada, 'member');
  crm = await crmFixture(app, ada);
});
afterAll(() => app.close());
// The payment page is rate-limited per minute of the app's clock.
beforeEach(() => nextMinute(app));

const DAY_MS = 86_400_000;

const edit = (id: string, body: unknown, member = ada) =>
  app.call(member, 'PATCH', `/api/payment-links/${id}`, body);

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as any };
}

const read = async (id: string, member = ada) =>
  answer(await app.call(member, 'GET', `/api/payment-links/${id}`));

async function storedLink(id: string) {
  const [row] = await app.database.db.select().from(paymentLinks).where(eq(paymentLinks.id, id));
  return row!;
}

describe('editing a payment link', () => {
  it('changes description and validity, records who changed what, and the payer sees it at once', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const created = await storedLink(link.id);

    const first = await answer(await edit(link.id, { description: 'Redesign, corrected', validityDays: 14 }));
    expect(first.status).toBe(200);
    const expires = new Date(created.createdAt.getTime() + 14 * DAY_MS).toISOString();
    expect(first.body).toMatchObject({
      description: 'Redesign, corrected',
      validityDays: 14,
      expiresAt: expires,
      state: 'active',
    });

    app.clock.set(new Date(app.clock.now().getTime() + 60_000));
    const second = await answer(await edit(link.id, { validityDays: null }, mo));
    expect(second.status).toBe(200);

    const { status, body } = await read(link.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ validityDays: null, expiresAt: null, daysLeft: null });
    // Newest first; the fields of one edit in the order the body lists them.
    expect(body.history).toEqual([
      {
        id: expect.any(String),
        field: 'validity',
        from: { validityDays: 14, expiresAt: expires },
        to: { validityDays: null, expiresAt: null },
        changedBy: mo.userId,
        changedAt: app.clock.now().toISOString(),
      },
      {
        id: expect.any(String),
        field: 'description',
        from: 'Website redesign, first half',
        to: 'Redesign, corrected',
        changedBy: ada.userId,
        changedAt: expect.any(String),
      },
      {
        id: expect.any(String),
        field: 'validity',
        from: { validityDays: 7, expiresAt: created.expiresAt!.toISOString() },
        to: { validityDays: 14, expiresAt: expires },
        changedBy: ada.userId,
        changedAt: body.history[1].changedAt,
      },
    ]);

    const view = await openLink(app, link.token);
    expect(view.response.status).toBe(200);
    expect(await view.response.json()).toMatchObject({
      description: 'Redesign, corrected',
      daysLeft: null,
      expiresAt: null,
      state: 'active',
    });
  });

  it('a reminder set in the same edit as the description follows it in the history', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const before = await read(link.id);
    expect(before.body.reminder).toBeNull();
    const { status, body } = await answer(
      await edit(link.id, { remindDaysBefore: 2, description: 'Redesign, with a reminder' }),
    );
    expect(status).toBe(200);
    expect(body.reminder).toMatchObject({ daysBefore: 2, status: 'scheduled' });
    expect(body.history.map((change: any) => [change.field, change.to])).toEqual([
      ['description', 'Redesign, with a reminder'],
      ['reminder', { remindDaysBefore: 2 }],
    ]);
    expect((await read(link.id, mo)).body.reminder).toMatchObject({ daysBefore: 2 });
    // Another workspace cannot see or touch it.
    expect((await edit(link.id, { remindDaysBefore: 3 }, rival)).status).toBe(404);
  });

  it('sending what the link already has changes nothing and adds no history', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const same = await answer(
      await edit(link.id, {
        description: 'Website redesign, first half',
        validityDays: 7,
        amount: '120.50',
        currency: 'eur',
      }),
    );
    expect(same.status).toBe(200);
    expect(same.body.history).toEqual([]);
  });

  it('changes the amount before anyone opened the link; the payer is then asked for the new amount', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    const changed = await answer(await edit(link.id, { amount: '99.95', currency: 'USD' }, mo));
    expect(changed.status).toBe(200);
    expect(changed.body.amount).toEqual({ amount: '99.95', currency: 'USD' });
    expect(changed.body.history).toMatchObject([
      {
        field: 'amount',
        from: { amount: '120.50', currency: 'EUR' },
        to: { amount: '99.95', currency: 'USD' },
      },
    ]);

    const view = await openLink(app, link.token);
    expect(await view.response.json()).toMatchObject({ amount: { amount: '99.95', currency: 'USD' } });
    const [payment] = await paymentsOfLink(app, link.id);
    expect(payment).toMatchObject({ amountMinor: 9_995n, currency: 'USD' });
  });

  it('refuses a new amount once the link was opened, and changes nothing else of that edit', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    await openLink(app, link.token);
    const refused = await answer(
      await edit(link.id, { description: 'Cheaper now', amount: '10', currency: 'EUR' }),
    );
    expect(refused).toMatchObject({ status: 409, body: { code: 'amount_locked', field: 'amount' } });
    expect(await storedLink(link.id)).toMatchObject({
      amountMinor: 12_050n,
      currency: 'EUR',
      description: 'Website redesign, first half',
    });
    expect((await read(link.id)).body.history).toEqual([]);
    // The description alone still changes.
    expect((await edit(link.id, { description: 'Cheaper now' })).status).toBe(200);
  });

  it('refuses bad input with the field at fault', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const cases: [unknown, string, string][] = [
      [{}, 'validation_failed', ''],
      [{ validityDays: 0 }, 'invalid_validity_days', 'validityDays'],
      [{ validityDays: 2.5 }, 'invalid_validity_days', 'validityDays'],
      [{ description: '' }, 'validation_failed', 'description'],
      [{ amount: '10' }, 'validation_failed', 'currency'],
      [{ amount: '0', currency: 'EUR' }, 'zero_amount', 'amount'],
      [{ amount: '1.234', currency: 'EUR' }, 'amount_too_precise', 'amount'],
      [{ methodId: crm.methodId }, 'validation_failed', 'methodId'],
    ];
    for (const [body, code, field] of cases) {
      const { status, body: problem } = await answer(await edit(link.id, body));
      expect({ body, status, code: problem.code }).toEqual({ body, status: 422, code });
      if (field) expect(problem.field, JSON.stringify(body)).toBe(field);
    }
    expect((await answer(await edit('not-a-uuid', { description: 'x' }))).status).toBe(422);
    expect((await read(link.id)).body.history).toEqual([]);
  });

  it("answers 404 for another workspace's link and changes nothing", async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const refused = await answer(await edit(link.id, { description: 'Mine now' }, rival));
    expect(refused).toMatchObject({ status: 404, body: { field: 'id' } });
    expect((await storedLink(link.id)).description).toBe('Website redesign, first half');
    expect((await read(link.id, rival)).status).toBe(404);
  });

  it('refuses a cookie-signed edit from a foreign Origin, and takes one from an API key', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const foreign = await app.request(`/api/payment-links/${link.id}`, {
      method: 'PATCH',
      headers: { ...ada.headers, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Pay me instead' }),
    });
    expect(await answer(foreign)).toMatchObject({ status: 403, body: { code: 'cross_origin_refused' } });
    expect((await storedLink(link.id)).description).toBe('Website redesign, first half');

    const { key } = (await (
      await app.call(ada, 'POST', '/api/api-keys', { name: 'crm sync' })
    ).json()) as any;
    const byKey = await app.request(`/api/payment-links/${link.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'From the CRM' }),
    });
    expect(await answer(byKey)).toMatchObject({
      status: 200,
      body: { description: 'From the CRM', history: [{ field: 'description', changedBy: ada.userId }] },
    });
  });

  it('refuses a deleted link (410) and a paid deal link (409)', async () => {
    const deleted = await createLink(app, ada, crm, { origin: 'contact' });
    await app.call(ada, 'DELETE', `/api/payment-links/${deleted.id}`);
    expect(await answer(await edit(deleted.id, { description: 'Back' }))).toMatchObject({
      status: 410,
      body: { code: 'link_deleted' },
    });

    const paid = await createLink(app, ada, crm, { origin: 'deal' });
    const confirmed = await app.call(ada, 'POST', '/api/payments/confirm-link', { linkId: paid.id });
    expect(confirmed.status).toBe(201);
    expect(await answer(await edit(paid.id, { description: 'Again' }))).toMatchObject({
      status: 409,
      body: { code: 'link_already_paid' },
    });
  });

  it('an expired link changes only with a validity that opens it again, counted from its creation', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    app.clock.set(new Date(app.clock.now().getTime() + 10 * DAY_MS));
    expect(await answer(await edit(link.id, { description: 'Late fix' }))).toMatchObject({
      status: 409,
      body: { code: 'link_expired' },
    });
    expect(await answer(await edit(link.id, { validityDays: 10 }))).toMatchObject({
      status: 422,
      body: { code: 'validity_elapsed', field: 'validityDays' },
    });
    const reopened = await answer(await edit(link.id, { validityDays: 12 }));
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ state: 'active', daysLeft: 2 });
  });
});

async function turns(count: number) {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('an amount edit racing the first click-through', () => {
  it('never leaves a payment recorded at another amount than the link charges', async () => {
    for (let round = 0; round < 36; round += 1) {
      nextMinute(app);
      const link = await createLink(app, ada, crm, { origin: 'deal' });
      // The edit goes first, and the visit follows after a varying number of event-loop turns, so
      // the rounds cover the visit reading the link before, during and after the edit's transaction.
      const changing = edit(link.id, { amount: '77.00', currency: 'EUR' });
      await turns(round % 12);
      const [visit, changed] = await Promise.all([openLink(app, link.token), changing]);
      expect(visit.response.status).toBe(200);
      const stored = await storedLink(link.id);
      const payments = await paymentsOfLink(app, link.id);
      expect(payments).toHaveLength(1);
      expect(payments[0]!.amountMinor).toBe(stored.amountMinor);
      const history = await app.database.db
        .select()
        .from(paymentLinkChanges)
        .where(eq(paymentLinkChanges.linkId, link.id));
      if (changed.status === 200) {
        expect(stored.amountMinor).toBe(7_700n);
        expect(history).toHaveLength(1);
      } else {
        expect(await answer(changed)).toMatchObject({ status: 409, body: { code: 'amount_locked' } });
        expect(stored.amountMinor).toBe(12_050n);
        expect(history).toHaveLength(0);
      }
    }
  });
});
