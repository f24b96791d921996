import { describe, expect, it, vi } from 'vitest';
import { paymentsTabActions } from './server';

/** An action's event with a form body and an API stub answering `answer` to every call. */
function event(fields: Record<string, string>, answer: { data?: unknown; error?: unknown; status: number }) {
  const call = vi.fn(async () => ({ ...answer, response: new Response(null, { status: answer.status }) }));
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const request = new Request('http://localhost/deals/1?tab=payments&/createLink', { method: 'POST', body });
  return { call, event: { request, locals: { api: { POST: call, GET: call, DELETE: call } } } as never };
}

const link = { id: 'l1', url: 'http://localhost/pay/abc', description: 'Course' };

describe('the Payments tab actions', () => {
  it('sends Create payment as the API takes it: no limit is null, an emptied payer falls back to the contact', async () => {
    const { call, event: e } = event(
      {
        origin: 'deal',
        dealId: 'd1',
        contactId: 'c1',
        idempotencyKey: 'k1',
        type: 'custom',
        description: 'Course',
        payerName: '',
        payerEmail: '',
        methodId: 'm1',
        amount: '10.50',
        currency: 'eur',
        validityDays: '7',
        noLimit: 'on',
      },
      { data: link, status: 201 },
    );
    const result = await paymentsTabActions.createLink(e);
    expect(call).toHaveBeenCalledWith('/api/payment-links', {
      headers: { 'idempotency-key': 'k1' },
      body: {
        origin: 'deal',
        dealId: 'd1',
        type: 'custom',
        description: 'Course',
        methodId: 'm1',
        amount: '10.50',
        currency: 'EUR',
        validityDays: null,
      },
    });
    expect(result).toMatchObject({
      action: 'createLink',
      created: { url: link.url, qrSvg: expect.stringContaining('<svg') },
    });
  });

  it('sends an EDU payment as type + courseId: amount, currency and description come from the course', async () => {
    const { call, event: e } = event(
      {
        origin: 'contact',
        contactId: 'c1',
        type: 'edu',
        courseId: 'course-1',
        description: 'typed without JS, ignored',
        amount: '1',
        currency: 'EUR',
        methodId: 'm1',
        validityDays: '7',
      },
      { data: link, status: 201 },
    );
    await paymentsTabActions.createLink(e);
    expect(call).toHaveBeenCalledWith('/api/payment-links', {
      headers: {},
      body: {
        origin: 'contact',
        contactId: 'c1',
        type: 'edu',
        courseId: 'course-1',
        methodId: 'm1',
        validityDays: '7',
      },
    });
  });

  it('puts a refused course by the course select', async () => {
    const problem = { code: 'course_not_offered', field: 'courseId', detail: 'This course is not for sale' };
    const { event: e } = event(
      { origin: 'contact', contactId: 'c1', type: 'edu', courseId: 'draft-1' },
      { error: problem, status: 422 },
    );
    const result = (await paymentsTabActions.createLink(e)) as { data: Record<string, unknown> };
    expect(result.data).toMatchObject({ fieldErrors: { courseId: 'This course is not for sale' } });
  });

  it("puts the API's refusal by its field and keeps what the member typed", async () => {
    const problem = { code: 'invalid_amount', field: 'amount', detail: 'Amount must be a decimal string' };
    const { event: e } = event(
      { origin: 'contact', contactId: 'c1', description: 'Course', amount: '1,5' },
      { error: problem, status: 422 },
    );
    const result = (await paymentsTabActions.createLink(e)) as {
      status: number;
      data: Record<string, unknown>;
    };
    expect(result.status).toBe(422);
    expect(result.data).toMatchObject({
      action: 'createLink',
      fieldErrors: { amount: 'Amount must be a decimal string' },
      values: { amount: '1,5', description: 'Course' },
    });
  });

  it('asks before deleting a link and deletes only with the confirmation', async () => {
    const asked = event({ linkId: 'l1' }, { data: link, status: 200 });
    await expect(paymentsTabActions.deleteLink(asked.event)).resolves.toEqual({
      action: 'deleteLink',
      confirmDelete: { linkId: 'l1', description: 'Course' },
    });
    expect(asked.call).toHaveBeenCalledTimes(1);
    expect(asked.call.mock.calls[0]).toEqual(['/api/payment-links/{id}', { params: { path: { id: 'l1' } } }]);

    const confirmed = event({ linkId: 'l1', confirmed: 'yes' }, { data: link, status: 200 });
    await expect(paymentsTabActions.deleteLink(confirmed.event)).resolves.toEqual({
      action: 'deleteLink',
      deleted: { linkId: 'l1', description: 'Course' },
    });
  });

  it('tells a refund the provider still has to confirm from one that is done, and a part from all', async () => {
    const pending = event({ paymentId: 'p1' }, { data: {}, status: 202 });
    await expect(paymentsTabActions.refundPayment(pending.event)).resolves.toMatchObject({
      refunded: 'pending',
    });
    const done = event({ paymentId: 'p1' }, { data: { status: 'returned' }, status: 200 });
    await expect(paymentsTabActions.refundPayment(done.event)).resolves.toMatchObject({
      refunded: 'returned',
    });
    const part = event({ paymentId: 'p1' }, { data: { status: 'complete' }, status: 200 });
    await expect(paymentsTabActions.refundPayment(part.event)).resolves.toMatchObject({ refunded: 'partly' });
  });

  it('sends a typed part in minor units, everything left as no amount, with the reason and the key', async () => {
    const form = { paymentId: 'p1', left: '25.00', reason: ' Late delivery ', idempotencyKey: 'k9' };
    const part = event({ ...form, amount: '2,5' }, { data: { status: 'complete' }, status: 200 });
    await paymentsTabActions.refundPayment(part.event);
    expect(part.call).toHaveBeenCalledWith('/api/payments/{id}/refunds', {
      params: { path: { id: 'p1' } },
      body: { amount: 250, reason: 'Late delivery' },
      headers: { 'idempotency-key': 'k9' },
    });
    const all = event(
      { ...form, amount: '25.00', reason: '' },
      { data: { status: 'returned' }, status: 200 },
    );
    await paymentsTabActions.refundPayment(all.event);
    expect(all.call).toHaveBeenCalledWith('/api/payments/{id}/refunds', {
      params: { path: { id: 'p1' } },
      body: {},
      headers: { 'idempotency-key': 'k9' },
    });
  });

  it('refuses an amount that is not one by the field, without asking the API', async () => {
    for (const amount of ['abc', '1.234', '']) {
      const refused = event({ paymentId: 'p1', left: '25.00', amount }, { data: {}, status: 200 });
      const result = (await paymentsTabActions.refundPayment(refused.event)) as {
        status: number;
        data: unknown;
      };
      expect(result.status).toBe(422);
      expect(result.data).toMatchObject({ field: 'amount', typed: { amount } });
      expect(refused.call).not.toHaveBeenCalled();
    }
  });
});
