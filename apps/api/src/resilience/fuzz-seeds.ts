import type { Operation } from '../api-contract/openapi-operations.js';
import { chrome } from '../public-pay/public-pay-fixtures.js';
import type { FuzzSeeds } from './fuzz-requests.js';
import { callOk, type HttpMember, send } from './fuzz-server.js';

// One workspace with a row behind every kind of id a route takes (contact, deal, pipeline and
// stage, method, deal and contact links, a confirmed and a Processing payment, a course, an
// invitation), made through the API of the server under test.

export interface SeededWorkspace extends FuzzSeeds {
  linkToken: string;
  /** Public tokens and the ids of the rows they stand for, so a change made through a token is explained. */
  tokenRows: Record<string, string>;
}

export async function seedWorkspace(origin: string, owner: HttpMember): Promise<SeededWorkspace> {
  const as = owner.cookieHeaders;
  const contact = await callOk(origin, as, 'POST', '/api/contacts', {
    name: 'Grace Hopper',
    email: 'grace@example.com',
    phone: '+31 6 12345678',
  });
  const deal = await callOk(origin, as, 'POST', '/api/deals', { title: 'Website', contactId: contact.id });
  const methods = await callOk(origin, as, 'GET', '/api/payment-methods');
  const methodId: string = methods.paymentMethods[0].id;
  const pipelines = await callOk(origin, as, 'GET', '/api/pipelines');
  const sales = pipelines.pipelines.find((p: { isDefault: boolean }) => p.isDefault);
  const link = (values: Record<string, unknown>) =>
    callOk(origin, as, 'POST', '/api/payment-links', {
      description: 'Consulting',
      methodId,
      amount: '120.50',
      currency: 'EUR',
      validityDays: 7,
      ...values,
    });
  const dealLink = await link({ origin: 'deal', dealId: deal.id });
  const contactLink = await link({ origin: 'contact', contactId: contact.id });
  const confirmedLink = await link({ origin: 'contact', contactId: contact.id });
  const confirmed = await callOk(origin, as, 'POST', '/api/payments/confirm-link', {
    linkId: confirmedLink.id,
  });
  const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;
  const linkToken = tokenOf(contactLink.url);
  const view = await send(origin, `/api/pay/${linkToken}`, {
    headers: { 'user-agent': chrome, 'sec-fetch-dest': 'document' },
  });
  const processingPaymentId: string = JSON.parse(view.text).paymentId;
  const course = await callOk(origin, as, 'POST', '/api/edu/courses', {
    title: 'Course',
    free: false,
    published: true,
    price: { amount: '10.00', currency: 'EUR' },
  });
  const invitation = await callOk(origin, as, 'POST', '/api/invitations', {
    email: 'carol@example.com',
    role: 'member',
  });
  const invitationToken = tokenOf(invitation.url);

  const byArea: Record<string, string> = {
    contacts: contact.id,
    deals: deal.id,
    pipelines: sales.id,
    'payment-methods': methodId,
    'payment-links': dealLink.id,
    payments: confirmed.id,
    members: owner.userId,
    invitations: invitation.id,
    'edu/courses': course.id,
    'edu/contacts': contact.id,
  };
  const byName: Record<string, string> = {
    stageId: sales.stages[0].id,
    userId: owner.userId,
    contactId: contact.id,
    methodId,
  };
  return {
    linkToken,
    tokenRows: { [linkToken]: contactLink.id, [invitationToken]: invitation.id },
    ids: [
      contact.id,
      deal.id,
      sales.id,
      sales.stages[1].id,
      methodId,
      dealLink.id,
      contactLink.id,
      confirmed.id,
      processingPaymentId,
      course.id,
    ],
    idFor(field: string) {
      const kinds: Record<string, string> = {
        contactId: contact.id,
        dealId: deal.id,
        methodId,
        linkId: contactLink.id,
        paymentId: processingPaymentId,
        courseId: course.id,
        pipelineId: sales.id,
        stageId: sales.stages[1].id,
        stageIds: sales.stages[1].id,
      };
      // Automations name a stage per status (complete, returned, …).
      return kinds[field] ?? (sales.stages as { id: string }[]).at(-1)?.id;
    },
    pathValue(op: Operation, name: string) {
      const segments = op.path.split('/');
      if (name === 'token')
        return op.path.startsWith('/api/invitations/accept/') ? invitationToken : linkToken;
      if (name === 'id') {
        const area = segments[2] === 'edu' ? `edu/${segments[3]}` : (segments[2] ?? '');
        return byArea[area];
      }
      return byName[name];
    },
  };
}
