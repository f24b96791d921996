import { openTestDatabase } from '@paylinks/db/testing';
import { eduEnrollments } from '@paylinks/plugin-edu';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPaymentEvent } from '../payments/apply-payment-event.js';
import {
  type CrmFixture,
  checkout,
  crmFixture,
  nextMinute,
  openLink,
  testCard,
} from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let ada: TestMember;
let rival: TestMember;
let crm: CrmFixture;
let rivalCrm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [ada, rival] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  [crm, rivalCrm] = await Promise.all([crmFixture(app, ada), crmFixture(app, rival)]);
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

const payer = { email: 'payer@example.com', phone: '+31 6 12345678' };

async function course(member: TestMember, body: Record<string, unknown>) {
  const response = await app.call(member, 'POST', '/api/edu/courses', {
    title: 'TypeScript 101',
    description: 'Types from zero',
    free: false,
    published: true,
    price: { amount: '120.00', currency: 'EUR' },
    ...body,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as any;
}

function createEduLink(member: TestMember, fixture: CrmFixture, courseId: string, extra = {}) {
  return app.call(member, 'POST', '/api/payment-links', {
    origin: 'contact',
    contactId: fixture.contactId,
    type: 'edu',
    courseId,
    methodId: fixture.methodId,
    validityDays: 7,
    ...extra,
  });
}

async function enrollments(member: TestMember, contactId: string): Promise<any[]> {
  const response = await app.call(member, 'GET', `/api/edu/contacts/${contactId}/enrollments`);
  expect(response.status).toBe(200);
  return ((await response.json()) as any).items;
}

/** An EDU link, opened once; returns the link and its Processing payment. */
async function openedEduLink(courseId: string) {
  const created = await createEduLink(ada, crm, courseId);
  expect(created.status).toBe(201);
  const link: any = await created.json();
  const token = new URL(link.url).pathname.split('/').pop()!;
  const { response } = await openLink(app, token);
  const paymentId: string = ((await response.json()) as any).paymentId;
  return { link, token, paymentId };
}

describe('courses', () => {
  it('are created, listed, changed and deleted within the workspace', async () => {
    const created = await course(ada, { title: 'Course CRUD' });
    expect(created).toMatchObject({
      title: 'Course CRUD',
      price: { amount: '120.00', currency: 'EUR' },
      free: false,
      published: true,
    });
    const list: any = await (await app.call(ada, 'GET', '/api/edu/courses')).json();
    expect(list.items.map((c: any) => c.id)).toContain(created.id);
    const patched = await app.call(ada, 'PATCH', `/api/edu/courses/${created.id}`, { free: true });
    expect(await patched.json()).toMatchObject({ free: true, price: null });
    expect((await app.call(rival, 'GET', `/api/edu/courses/${created.id}`)).status).toBe(404);
    expect((await app.call(ada, 'DELETE', `/api/edu/courses/${created.id}`)).status).toBe(204);
    expect((await app.call(ada, 'GET', `/api/edu/courses/${created.id}`)).status).toBe(404);
  });

  it('a paid course needs a price, a free one has none', async () => {
    const paid = await app.call(ada, 'POST', '/api/edu/courses', {
      title: 'No price',
      free: false,
      published: true,
    });
    expect(paid.status).toBe(422);
    expect(await paid.json()).toMatchObject({ code: 'price_required', field: 'price' });
    const free = await app.call(ada, 'POST', '/api/edu/courses', {
      title: 'Free with price',
      free: true,
      published: true,
      price: { amount: '1.00', currency: 'EUR' },
    });
    expect(free.status).toBe(422);
    expect(await free.json()).toMatchObject({ code: 'price_not_allowed', field: 'price' });
    const control = await app.call(ada, 'POST', '/api/edu/courses', {
      title: 'Bad\u0007title',
      free: true,
      published: true,
    });
    expect(control.status).toBe(422);
    expect(await control.json()).toMatchObject({ field: 'title' });
  });

  it('a course a link uses cannot be deleted', async () => {
    const used = await course(ada, { title: 'In use' });
    expect((await createEduLink(ada, crm, used.id)).status).toBe(201);
    const response = await app.call(ada, 'DELETE', `/api/edu/courses/${used.id}`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'course_in_use', field: 'id' });
  });
});

describe('the link form', () => {
  it('offers only paid, published courses of the workspace', async () => {
    const paid = await course(ada, { title: 'Offered' });
    const draft = await course(ada, { title: 'Draft', published: false });
    const free = await course(ada, { title: 'Free', free: true, price: undefined });
    const theirs = await course(rival, { title: 'Theirs' });
    const response = await app.call(ada, 'GET', '/api/payment-types');
    expect(response.status).toBe(200);
    const { items }: any = await response.json();
    expect(items[0]).toEqual({ id: 'custom', label: 'Custom' });
    const edu = items.find((t: any) => t.id === 'edu');
    expect(edu.label).toBe('EDU payment');
    const ids = edu.options.map((o: any) => o.id);
    expect(ids).toContain(paid.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(free.id);
    expect(ids).not.toContain(theirs.id);
    expect(edu.options.find((o: any) => o.id === paid.id)).toEqual({
      id: paid.id,
      label: 'Offered',
      amount: { amount: '120.00', currency: 'EUR' },
      description: 'Types from zero',
    });
  });

  it('an EDU link takes amount, currency and description from the course (what is sent is ignored)', async () => {
    const paid = await course(ada, { title: 'Priced', price: { amount: '99.50', currency: 'EUR' } });
    const response = await createEduLink(ada, crm, paid.id, {
      amount: '1.00',
      currency: 'USD',
      description: 'Sent by the client',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      type: 'edu',
      amount: { amount: '99.50', currency: 'EUR' },
      description: 'Types from zero',
    });
  });

  it('refuses a free, draft, deleted or other workspace course, and a missing one', async () => {
    const draft = await course(ada, { title: 'Draft', published: false });
    const free = await course(ada, { title: 'Free', free: true, price: undefined });
    const deleted = await course(ada, { title: 'Deleted' });
    await app.call(ada, 'DELETE', `/api/edu/courses/${deleted.id}`);
    const theirs = await course(rival, { title: 'Theirs' });
    for (const id of [draft.id, free.id]) {
      const response = await createEduLink(ada, crm, id);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'course_not_payable', field: 'courseId' });
    }
    for (const id of [deleted.id, theirs.id]) {
      const response = await createEduLink(ada, crm, id);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'course_not_found', field: 'courseId' });
    }
    const missing = await app.call(ada, 'POST', '/api/payment-links', {
      origin: 'contact',
      contactId: crm.contactId,
      type: 'edu',
      methodId: crm.methodId,
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ field: 'courseId' });
    // The rival can sell their own course.
    expect((await createEduLink(rival, rivalCrm, theirs.id)).status).toBe(201);
  });
});

describe('enrollment', () => {
  it('paying with 4242 enrolls the contact once, even when the success arrives again', async () => {
    const paid = await course(ada, { title: 'Paid once' });
    const { token, paymentId } = await openedEduLink(paid.id);
    const response = await checkout(app, token, { paymentId, ...payer, card: testCard });
    expect(await response.json()).toMatchObject({ status: 'complete' });
    await app.sandbox.webhooks.idle();
    // The same success once more, as a late duplicate webhook would bring it.
    await applyPaymentEvent(
      app.database.db,
      {
        workspaceId: ada.workspaceId,
        paymentId,
        status: 'complete',
        source: 'webhook',
        now: app.clock.now(),
      },
      app.logger,
    );
    const rows = await app.database.db
      .select()
      .from(eduEnrollments)
      .where(and(eq(eduEnrollments.workspaceId, ada.workspaceId), eq(eduEnrollments.paymentId, paymentId)));
    expect(rows).toHaveLength(1);
    const mine = (await enrollments(ada, crm.contactId)).filter((e) => e.paymentId === paymentId);
    expect(mine).toEqual([
      {
        id: rows[0]!.id,
        course: { id: paid.id, title: 'Paid once' },
        paymentId,
        grantedAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    // Another workspace sees none of it.
    expect((await app.call(rival, 'GET', `/api/edu/contacts/${crm.contactId}/enrollments`)).status).toBe(404);
  });

  it('a refund revokes the enrollment', async () => {
    const paid = await course(ada, { title: 'Refunded' });
    const { token, paymentId } = await openedEduLink(paid.id);
    await checkout(app, token, { paymentId, ...payer, card: testCard });
    await app.sandbox.webhooks.idle();
    const refund = await app.call(ada, 'POST', `/api/payments/${paymentId}/refunds`);
    expect(refund.status).toBe(200);
    await app.sandbox.webhooks.idle();
    const [enrollment] = (await enrollments(ada, crm.contactId)).filter((e) => e.paymentId === paymentId);
    expect(enrollment.revokedAt).not.toBeNull();
  });

  it('a manual confirmation enrolls the contact', async () => {
    const paid = await course(ada, { title: 'Confirmed' });
    const { paymentId } = await openedEduLink(paid.id);
    const confirm = await app.call(ada, 'POST', `/api/payments/${paymentId}/confirm`, {
      note: 'Bank transfer',
    });
    expect(confirm.status).toBe(200);
    const mine = (await enrollments(ada, crm.contactId)).filter((e) => e.paymentId === paymentId);
    expect(mine).toMatchObject([{ course: { id: paid.id }, revokedAt: null }]);
  });

  it('a custom link enrolls no one', async () => {
    const before = (await enrollments(ada, crm.contactId)).length;
    const created = await app.call(ada, 'POST', '/api/payment-links', {
      origin: 'contact',
      contactId: crm.contactId,
      description: 'Consulting',
      methodId: crm.methodId,
      amount: '10.00',
      currency: 'EUR',
    });
    const link: any = await created.json();
    const token = new URL(link.url).pathname.split('/').pop()!;
    const { response } = await openLink(app, token);
    const paymentId: string = ((await response.json()) as any).paymentId;
    await checkout(app, token, { paymentId, ...payer, card: testCard });
    await app.sandbox.webhooks.idle();
    expect(await enrollments(ada, crm.contactId)).toHaveLength(before);
  });
});
