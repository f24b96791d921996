import { randomUUID } from 'node:crypto';
import { type Action, error, fail, type RequestEvent } from '@sveltejs/kit';
import type { ApiClient } from '$lib/api/client';
import { type ApiProblem, formValues, refusal } from '$lib/crm/form-problem';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { qrSvg } from './qr';
import { typedMinorUnits } from './refundable';
import type { PaymentLink, PaymentsTabData, PaymentsTabResult, TabLink, TabTarget } from './types';

type TabEvent = Pick<RequestEvent, 'locals' | 'url'>;

/** The cursor of the tab's payment list in the page's URL (the page's other parameters stay). */
export const paymentsCursorParam = 'paymentsCursor';

/** The Payments tab of a contact card or a deal: its links, its payments, and what a new link may use. */
export async function loadPaymentsTab(event: TabEvent, target: TabTarget): Promise<PaymentsTabData> {
  const { api } = event.locals;
  const cursor = event.url.searchParams.get(paymentsCursorParam) ?? undefined;
  const [payer, links, payments, methods, me, types, mailSettings] = await Promise.all([
    payerOf(api, target),
    api.GET('/api/payment-links', { params: { query: { ...target, limit: 100 } } }),
    api.GET('/api/payments', { params: { query: { ...target, limit: 25, cursor } } }),
    api.GET('/api/payment-methods'),
    api.GET('/api/me'),
    api.GET('/api/payment-types'),
    api.GET('/api/mail-settings'),
  ]);
  if (!links.data) failed('payment links', links.response);
  if (!payments.data) failed('payments', payments.response);
  if (!methods.data) failed('payment methods', methods.response);
  if (!me.data) failed('the member', me.response);
  if (!types.data) failed('payment types', types.response);
  if (!mailSettings.data) failed('mail settings', mailSettings.response);

  const shown = links.data.items.filter(isOnTab);
  return {
    origin: 'dealId' in target ? 'deal' : 'contact',
    contactId: payer.contactId,
    dealId: 'dealId' in target ? target.dealId : null,
    payer: { name: payer.name, email: payer.email },
    methods: methods.data.paymentMethods
      .filter((method) => method.enabled && method.providerInstalled)
      .map(({ id, displayName, mode, currencies }) => ({ id, displayName, mode, currencies })),
    // Custom in the member's language; a type plugin names its own type.
    types: types.data.items.map((type) =>
      type.id === 'custom' ? { ...type, label: m.crm_pay_type_custom() } : type,
    ),
    links: await Promise.all(shown.map((link) => withQrAndMails(api, link))),
    payments: payments.data.items,
    paymentsNextHref: payments.data.nextCursor ? pageHref(event.url, payments.data.nextCursor) : null,
    paymentsFirstHref: cursor ? pageHref(event.url, null) : null,
    canRefund: me.data.role === 'owner' || me.data.role === 'admin',
    idempotencyKey: randomUUID(),
    locale: getLocale(),
    mail: {
      smtpConfigured: mailSettings.data.smtpConfigured,
      defaultReminderDays: mailSettings.data.defaultReminderDays,
    },
  };
}

/**
 * A deleted link is history, and a deal link a payment took off its deal belongs to the Payments
 * section now (the API sets `removedFromDealAt`); a contact link stays until it is deleted.
 */
const isOnTab = (link: PaymentLink) => link.deletedAt === null && link.removedFromDealAt === null;

const withQr = async (link: PaymentLink): Promise<TabLink> => ({
  ...link,
  qrSvg: await qrSvg(link.url),
  mails: [],
});

/** A link on the tab with its QR code and the history of its mails (sent, queued, its reminder). */
async function withQrAndMails(api: ApiClient, link: PaymentLink): Promise<TabLink> {
  const [withCode, mails] = await Promise.all([
    withQr(link),
    api.GET('/api/payment-links/{id}/mails', { params: { path: { id: link.id } } }),
  ]);
  return { ...withCode, mails: mails.data?.items ?? [] };
}

async function payerOf(api: ApiClient, target: TabTarget) {
  let contactId: string;
  if ('dealId' in target) {
    const deal = await api.GET('/api/deals/{id}', { params: { path: { id: target.dealId } } });
    if (!deal.data) failed('the deal', deal.response);
    contactId = deal.data.contact.id;
  } else contactId = target.contactId;
  const contact = await api.GET('/api/contacts/{id}', { params: { path: { id: contactId } } });
  if (!contact.data) failed('the contact', contact.response);
  return { contactId, name: contact.data.name, email: contact.data.email };
}

function failed(what: string, response: Response): never {
  if (response.status === 404) error(404, { message: m.crm_pay_not_found() });
  throw new Error(`Loading ${what} for the Payments tab answered ${response.status}`);
}

function pageHref(url: URL, cursor: string | null): string {
  const target = new URL(url);
  if (cursor) target.searchParams.set(paymentsCursorParam, cursor);
  else target.searchParams.delete(paymentsCursorParam);
  return `${target.pathname}${target.search}`;
}

const createFields = [
  'type',
  'description',
  'payerName',
  'payerEmail',
  'methodId',
  'amount',
  'currency',
  'validityDays',
  'courseId',
  'remindDaysBefore',
] as const;

/** `?/name` on the page that shows the tab: spread into its `actions`. */
export const paymentsTabActions = {
  /** Create payment: the API builds the link; its refusals come back by their field. */
  createLink: async ({ request, locals }) => {
    const values = formValues(await request.formData());
    // Which id goes with which origin is a union in the API's types: a deal link names only its deal.
    const target =
      values.origin === 'deal'
        ? { origin: 'deal' as const, dealId: values.dealId ?? '' }
        : { origin: 'contact' as const, contactId: values.contactId ?? '' };
    const common = {
      // Left empty, the API takes the contact's own name and email.
      ...(values.payerName ? { payerName: values.payerName } : {}),
      ...(values.payerEmail ? { payerEmail: values.payerEmail } : {}),
      methodId: values.methodId ?? '',
      validityDays: values.noLimit === 'on' ? null : (values.validityDays ?? ''),
      // Sent by the form (empty: no reminder, whatever the workspace default); left out, the API
      // applies the workspace default (the field is disabled for a link without an expiry).
      ...(values.remindDaysBefore === undefined
        ? {}
        : { remindDaysBefore: values.remindDaysBefore ? Number(values.remindDaysBefore) : null }),
    } as const;
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/payment-links', {
      headers: values.idempotencyKey ? { 'idempotency-key': values.idempotencyKey } : {},
      // An EDU payment sells a course: its amount, currency and description come from the course.
      body:
        values.type === 'edu'
          ? { ...target, ...common, type: 'edu', courseId: values.courseId ?? '' }
          : {
              ...target,
              ...common,
              type: values.type || 'custom',
              description: values.description ?? '',
              amount: values.amount ?? '',
              currency: (values.currency ?? '').toUpperCase(),
            },
    });
    if (!data) return refused('createLink', response, problem, values, createFields);
    return { action: 'createLink', created: await withQr(data) } satisfies PaymentsTabResult;
  },

  /** The trash button: the first submit asks (the page without JS, a dialog with it), `confirmed` deletes. */
  deleteLink: async ({ request, locals }) => {
    const form = await request.formData();
    const linkId = String(form.get('linkId') ?? '');
    const path = { params: { path: { id: linkId } } };
    if (form.get('confirmed') !== 'yes') {
      const { data, response } = await locals.api.GET('/api/payment-links/{id}', path);
      if (!data)
        return fail(response.status, { action: 'deleteLink', linkId, message: m.crm_pay_link_gone() });
      return {
        action: 'deleteLink',
        confirmDelete: { linkId, description: data.description },
      } satisfies PaymentsTabResult;
    }
    const { data, error: problem, response } = await locals.api.DELETE('/api/payment-links/{id}', path);
    if (!data) {
      const message = (problem as ApiProblem | undefined)?.detail ?? m.crm_pay_link_gone();
      return fail(response.status, { action: 'deleteLink', linkId, message } satisfies PaymentsTabResult);
    }
    return {
      action: 'deleteLink',
      deleted: { linkId, description: data.description },
    } satisfies PaymentsTabResult;
  },

  /** Send by email: the API queues it and its mail job sends it; the link's history shows how it went. */
  sendLinkMail: async ({ request, locals }) => {
    const values = formValues(await request.formData());
    const linkId = values.linkId ?? '';
    const to = (values.to ?? '').trim();
    const message = (values.message ?? '').trim();
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/payment-links/{id}/mails', {
      params: { path: { id: linkId } },
      body: { ...(to ? { to } : {}), ...(message ? { message } : {}) },
    });
    if (!data) {
      const placed = refusal(problem as ApiProblem | undefined, values, ['to', 'message']);
      return fail(status(response), {
        action: 'sendLinkMail',
        linkId,
        ...placed,
      } satisfies PaymentsTabResult);
    }
    return {
      action: 'sendLinkMail',
      linkId,
      queued: { to: data.recipient ?? to },
    } satisfies PaymentsTabResult;
  },

  /** The green button: money arrived some other way; who and when are recorded by the API. */
  confirmPayment: async ({ request, locals }) => {
    const values = formValues(await request.formData());
    const paymentId = values.paymentId ?? '';
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/payments/{id}/confirm', {
      params: { path: { id: paymentId } },
      body: { note: values.note ?? '', reference: values.reference ?? '' },
    });
    if (!data) {
      const placed = refusal(problem as ApiProblem | undefined, values, ['note', 'reference']);
      return fail(status(response), {
        action: 'confirmPayment',
        paymentId,
        ...placed,
      } satisfies PaymentsTabResult);
    }
    return { action: 'confirmPayment', paymentId, confirmed: true } satisfies PaymentsTabResult;
  },

  /**
   * Refund all or part of a payment (owners and admins); a provider may accept it now and confirm it
   * later. The amount left at render goes as no amount at all: "everything left", even if a refund
   * elsewhere changed it since, is what the member asked for.
   */
  refundPayment: async ({ request, locals }) => {
    const values = formValues(await request.formData());
    const paymentId = values.paymentId ?? '';
    const typed = (values.amount ?? '').trim();
    const left = values.left ?? '';
    const minor = typed === left ? undefined : typedMinorUnits(typed, left);
    const refused = (code: number, message: string, field?: string) =>
      fail(code, {
        action: 'refundPayment',
        paymentId,
        message,
        ...(field ? { field } : {}),
        typed: { amount: typed, reason: values.reason ?? '' },
      } satisfies PaymentsTabResult);
    if (typed !== left && minor === undefined) {
      return refused(422, m.crm_pay_refund_amount_invalid({ example: left || '10.00' }), 'amount');
    }
    const reason = (values.reason ?? '').trim();
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/payments/{id}/refunds', {
      params: { path: { id: paymentId } },
      body: { ...(minor === undefined ? {} : { amount: minor }), ...(reason ? { reason } : {}) },
      headers: values.idempotencyKey ? { 'idempotency-key': values.idempotencyKey } : {},
    });
    if (!data) {
      const found = problem as ApiProblem | undefined;
      return refused(status(response), found?.detail ?? m.crm_pay_unexpected(), found?.field);
    }
    const refunded = response.status === 202 ? 'pending' : data.status === 'returned' ? 'returned' : 'partly';
    return { action: 'refundPayment', paymentId, refunded } satisfies PaymentsTabResult;
  },
} satisfies Record<string, Action>;

const status = (response: Response) => (response.status >= 400 ? response.status : 500);

function refused(
  action: 'createLink',
  response: Response,
  problem: unknown,
  values: Record<string, string>,
  fields: readonly string[],
) {
  // A refused request releases its idempotency key: the corrected form may send it again.
  const placed = refusal(problem as ApiProblem | undefined, values, fields);
  return fail(status(response), { action, ...placed } satisfies PaymentsTabResult);
}
