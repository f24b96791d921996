import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertContact,
  insertDeal,
  insertMethod,
  type WorkspaceFixture,
  workspaceFixture,
} from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { countLinks } from './payment-link-fixtures.js';

const sandbox = createSandboxProvider();
// A provider that only bills in euros, to show the method's currencies are enforced.
const euroOnly = { ...sandbox, id: 'euro-only', displayName: 'Euro Pay', currencies: ['EUR'] };

let app: TestApp;
let ada: TestMember;
let other: TestMember;
let w: WorkspaceFixture;
let contactId: string;
let dealId: string;
let dealContactId: string;
let methodId: string;
let euroMethodId: string;
let disabledMethodId: string;
let orphanMethodId: string;
let foreign: { contactId: string; dealId: string; methodId: string };

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [sandbox, euroOnly] });
  [ada, other] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  const db = app.database.db;
  // Fixed before any method is added, so `methodId` is the sandbox method sign-up made.
  w = await workspaceFixture(db, ada.workspaceId);
  const theirs = await workspaceFixture(db, other.workspaceId);
  contactId = (await insertContact(db, w, 'Grace Payer', 'grace@example.com')).id;
  const dealContact = await insertContact(db, w, 'Deal Person', 'deal@example.com');
  dealContactId = dealContact.id;
  dealId = (await insertDeal(db, w, dealContactId, 'Website redesign')).id;
  methodId = w.methodId;
  euroMethodId = (await insertMethod(db, w, 'Euro Pay', { providerId: 'euro-only' })).id;
  disabledMethodId = (await insertMethod(db, w, 'Off', { providerId: 'sandbox', enabled: false })).id;
  orphanMethodId = (await insertMethod(db, w, 'Gone', { providerId: 'uninstalled' })).id;
  const otherContact = await insertContact(db, theirs, 'Grace Payer', 'grace@example.com');
  foreign = {
    contactId: otherContact.id,
    dealId: (await insertDeal(db, theirs, otherContact.id, 'Website redesign')).id,
    methodId: theirs.methodId,
  };
});
afterAll(() => app.close());

const fromContact = (overrides: Record<string, unknown> = {}) => ({
  origin: 'contact',
  contactId,
  description: 'Consulting, November',
  methodId,
  amount: '120.50',
  currency: 'EUR',
  validityDays: 7,
  ...overrides,
});

const create = (body: unknown, member = ada) => app.call(member, 'POST', '/api/payment-links', body);

async function refusal(body: unknown) {
  const response = await create(body);
  return { status: response.status, body: (await response.json()) as any };
}

describe('creating a payment link', () => {
  it('from a contact: the payer is the contact, and the answer carries the public URL and days left', async () => {
    const response = await create(fromContact());
    expect(response.status).toBe(201);
    const link: any = await response.json();
    expect(link).toMatchObject({
      origin: 'contact',
      type: 'custom',
      description: 'Consulting, November',
      payer: { name: 'Grace Payer', email: 'grace@example.com' },
      method: { id: methodId, displayName: 'Sandbox (test mode)' },
      amount: { amount: '120.50', currency: 'EUR' },
      validityDays: 7,
      expiresAt: '2026-12-03T12:00:00.000Z',
      daysLeft: 7,
      state: 'active',
      contactId,
      dealId: null,
      createdBy: ada.userId,
      createdAt: '2026-11-26T12:00:00.000Z',
      deletedAt: null,
    });
    expect(link.url).toMatch(new RegExp(`^${testPublicUrl}/pay/[A-Za-z0-9_-]{32}$`));
    const again: any = await (await app.call(ada, 'GET', `/api/payment-links/${link.id}`)).json();
    // The link's own read carries its edit history, empty until someone edits it.
    expect(again).toEqual({ ...link, history: [] });
  });

  it("from a deal: the payer is the deal's contact", async () => {
    const response = await create({
      origin: 'deal',
      dealId,
      description: '  Redesign deposit  ',
      methodId,
      amount: '1000',
      currency: 'JPY',
      validityDays: null,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      origin: 'deal',
      dealId,
      contactId: dealContactId,
      description: 'Redesign deposit',
      payer: { name: 'Deal Person', email: 'deal@example.com' },
      amount: { amount: '1000', currency: 'JPY' },
      validityDays: null,
      expiresAt: null,
      daysLeft: null,
      state: 'active',
    });
  });

  it('takes payer overrides, a lower-case currency, a digit-string validity, and unlimited by default', async () => {
    const response = await create(
      fromContact({
        payerName: ' Accounts Dept ',
        payerEmail: 'ap@example.com',
        currency: 'kwd',
        amount: '1.005',
        validityDays: undefined,
      }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      payer: { name: 'Accounts Dept', email: 'ap@example.com' },
      amount: { amount: '1.005', currency: 'KWD' },
      validityDays: null,
      daysLeft: null,
    });
    const digits: any = await (await create(fromContact({ validityDays: '30' }))).json();
    expect(digits.validityDays).toBe(30);
  });

  it('leaves the payer email empty for a contact without one', async () => {
    const noEmail = await insertContact(app.database.db, w, 'Walk In');
    const link: any = await (await create(fromContact({ contactId: noEmail.id }))).json();
    expect(link.payer).toEqual({ name: 'Walk In', email: null });
  });

  it('uses a method whose provider takes the currency', async () => {
    const response = await create(fromContact({ methodId: euroMethodId }));
    expect(response.status).toBe(201);
    expect(((await response.json()) as any).method).toEqual({ id: euroMethodId, displayName: 'Euro Pay' });
  });
});

describe('refusing a payment link', () => {
  it.each([
    ['zero', { amount: '0.00' }, 'zero_amount', 'amount'],
    ['negative', { amount: '-5' }, 'negative_amount', 'amount'],
    ['over-precise', { amount: '1.001' }, 'amount_too_precise', 'amount'],
    ['over-precise yen', { amount: '1.5', currency: 'JPY' }, 'amount_too_precise', 'amount'],
    ['a comma decimal', { amount: '1,50' }, 'invalid_amount', 'amount'],
    ['too large', { amount: '99999999999999999' }, 'amount_too_large', 'amount'],
    ['an unknown currency', { currency: 'XYZ' }, 'unknown_currency', 'currency'],
    ['validity 0', { validityDays: 0 }, 'invalid_validity_days', 'validityDays'],
    ['validity 1.5', { validityDays: 1.5 }, 'invalid_validity_days', 'validityDays'],
    ['validity -3', { validityDays: -3 }, 'invalid_validity_days', 'validityDays'],
    ['validity "x"', { validityDays: 'x' }, 'invalid_validity_days', 'validityDays'],
    ['validity 100 years', { validityDays: 36500 }, 'invalid_validity_days', 'validityDays'],
    ['a plugin type not installed', { type: 'crypto' }, 'unknown_payment_type', 'type'],
    ['a disabled method', { methodId: 'DISABLED' }, 'method_disabled', 'methodId'],
    ['a method whose plugin is gone', { methodId: 'ORPHAN' }, 'method_unavailable', 'methodId'],
    [
      'a currency the method does not take',
      { methodId: 'EURO', currency: 'USD' },
      'currency_not_supported',
      'currency',
    ],
    ['a deal id on a contact link', { dealId: 'DEAL' }, 'not_allowed_for_origin', 'dealId'],
  ])('%s', async (_name, overrides, code, field) => {
    const ids: Record<string, string> = {
      DISABLED: disabledMethodId,
      ORPHAN: orphanMethodId,
      EURO: euroMethodId,
      DEAL: dealId,
    };
    const body = Object.fromEntries(
      Object.entries(fromContact(overrides)).map(([k, v]) => [k, typeof v === 'string' ? (ids[v] ?? v) : v]),
    );
    const { status, body: problem } = await refusal(body);
    expect(status).toBe(422);
    expect(problem).toMatchObject({ code, field });
  });

  it.each([
    ['no description', { description: undefined }, 'description'],
    ['a blank description', { description: '   ' }, 'description'],
    ['a description over 500 characters', { description: 'x'.repeat(501) }, 'description'],
    ['a number amount', { amount: 12.5 }, 'amount'],
    ['a huge amount string', { amount: '1'.repeat(10_000) }, 'amount'],
    ['no method', { methodId: undefined }, 'methodId'],
    ['a method id of the wrong shape', { methodId: '42' }, 'methodId'],
    ['a contact id of the wrong shape', { contactId: 'not-a-uuid' }, 'contactId'],
    ['an unknown origin', { origin: 'invoice' }, 'origin'],
    ['a bad payer email', { payerEmail: 'nope' }, 'payerEmail'],
    ['a validity of the wrong type', { validityDays: true }, 'validityDays'],
    ['a contact link without contactId', { contactId: undefined }, 'contactId'],
  ])('%s', async (_name, overrides, field) => {
    const { status, body } = await refusal(fromContact(overrides));
    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
    expect(body.field).toBe(field);
  });

  it('an unknown field', async () => {
    const { status, body } = await refusal(fromContact({ color: 'red' }));
    expect(status).toBe(422);
    expect(body.errors).toContainEqual(expect.objectContaining({ code: 'unknown_field' }));
  });

  it('a deal link without dealId, or with a contactId', async () => {
    const base = { origin: 'deal', description: 'x', methodId, amount: '1', currency: 'EUR' };
    expect((await refusal(base)).body).toMatchObject({ code: 'validation_failed', field: 'dealId' });
    expect((await refusal({ ...base, dealId, contactId })).body).toMatchObject({
      code: 'not_allowed_for_origin',
      field: 'contactId',
    });
  });

  it('another workspace contact, deal or method answers 404 and stores nothing', async () => {
    const before = await countLinks(app.database.db, ada.workspaceId);
    const cases = [
      [fromContact({ contactId: foreign.contactId }), 'contactId'],
      [{ ...fromContact({ contactId: undefined }), origin: 'deal', dealId: foreign.dealId }, 'dealId'],
      [fromContact({ methodId: foreign.methodId }), 'methodId'],
      [fromContact({ contactId: crypto.randomUUID() }), 'contactId'],
    ] as const;
    for (const [body, field] of cases) {
      const { status, body: problem } = await refusal(body);
      expect(status, field).toBe(404);
      expect(problem).toMatchObject({ code: 'not_found', field });
    }
    expect(await countLinks(app.database.db, ada.workspaceId)).toBe(before);
    expect(await countLinks(app.database.db, other.workspaceId)).toBe(0);
  });

  it('malformed JSON is a 400 and a request without a session is a 401', async () => {
    expect((await create('{"origin":')).status).toBe(400);
    expect((await app.call(null, 'POST', '/api/payment-links', fromContact())).status).toBe(401);
  });
});
