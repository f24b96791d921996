import { chrome, testCard } from '../public-pay/public-pay-fixtures.js';
import { type HttpAnswer, type HttpMember, send } from './fuzz-server.js';

// One workspace's traffic for the two-workspace test: what a team and its scripts do all day
// (contacts, deals, links, click-throughs, checkouts, lists, filters, searches, the board, the CSV),
// each answer checked against the ids every workspace has been shown so far.

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Which workspace was first shown each id. An id shown to two workspaces is a leak. */
export class IdLedger {
  private readonly owners = new Map<string, string>();
  readonly leaks: string[] = [];

  /** Claims every id in a successful answer for `workspace`; notes any that another was shown first. */
  see(workspace: string, what: string, answer: HttpAnswer): void {
    if (answer.status >= 300) return;
    for (const id of answer.text.match(uuidPattern) ?? []) {
      const owner = this.owners.get(id);
      if (owner === undefined) this.owners.set(id, workspace);
      else if (owner !== workspace) this.leaks.push(`${what} showed ${workspace} ${owner}'s id ${id}`);
    }
  }

  idsOf(workspace: string): string[] {
    return [...this.owners].filter(([, owner]) => owner === workspace).map(([id]) => id);
  }
}

export interface Workspace {
  name: string;
  /** In every name this workspace stores, so a leaked row is recognisable in any answer. */
  marker: string;
  member: HttpMember;
  pipelineId: string;
  methodId: string;
  /** What it created, by kind: the other workspace tries these. */
  created: { contacts: string[]; deals: string[]; links: string[]; payments: string[] };
}

export interface Traffic {
  origin: string;
  ledger: IdLedger;
  /** Every name marker but this workspace's own. */
  foreignMarkers: (workspace: Workspace) => string[];
  failures: string[];
}

type Json = Record<string, unknown> & { id: string };

/** One request as the workspace, by cookie or by key in turn; answers are checked and their ids claimed. */
export async function as(
  traffic: Traffic,
  workspace: Workspace,
  method: string,
  path: string,
  body?: unknown,
  useKey = Math.random() < 0.5,
): Promise<HttpAnswer> {
  const credentials = useKey ? workspace.member.apiKeyHeaders : workspace.member.cookieHeaders;
  const answer = await send(traffic.origin, path, {
    method,
    headers: { ...credentials, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const what = `${workspace.name} ${method} ${path.slice(0, 90)} [${useKey ? 'key' : 'cookie'}]`;
  if (answer.status >= 500) traffic.failures.push(`${what} → ${answer.status} ${answer.text.slice(0, 200)}`);
  traffic.ledger.see(workspace.name, what, answer);
  for (const marker of traffic.foreignMarkers(workspace))
    if (answer.text.includes(marker)) traffic.failures.push(`${what} answered another workspace's ${marker}`);
  return answer;
}

async function created(traffic: Traffic, workspace: Workspace, path: string, body: unknown): Promise<Json> {
  const answer = await as(traffic, workspace, 'POST', path, body);
  if (answer.status !== 201)
    throw new Error(`${workspace.name} POST ${path}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as Json;
}

/** One round of a team's day: creates a contact, a deal, two links, a click-through and a checkout, then reads. */
export async function workRound(traffic: Traffic, w: Workspace, round: string): Promise<void> {
  const contact = await created(traffic, w, '/api/contacts', {
    name: `${w.marker} contact ${round}`,
    email: `${round}@${w.name.toLowerCase()}.example`,
  });
  const deal = await created(traffic, w, '/api/deals', {
    title: `${w.marker} deal ${round}`,
    contactId: contact.id,
  });
  const link = (values: Record<string, unknown>) =>
    created(traffic, w, '/api/payment-links', {
      description: `${w.marker} link ${round}`,
      methodId: w.methodId,
      amount: '12.30',
      currency: 'EUR',
      validityDays: 7,
      ...values,
    });
  const dealLink = await link({ origin: 'deal', dealId: deal.id });
  const contactLink = await link({ origin: 'contact', contactId: contact.id });
  w.created.contacts.push(contact.id);
  w.created.deals.push(deal.id);
  w.created.links.push(dealLink.id, contactLink.id);

  // The payer's side is public: the token is the credential, so nothing here is workspace-scoped.
  const token = new URL(String(dealLink.url)).pathname.split('/').pop()!;
  const view = await send(traffic.origin, `/api/pay/${token}`, {
    headers: { 'user-agent': chrome, 'sec-fetch-dest': 'document' },
  });
  const { paymentId } = JSON.parse(view.text) as { paymentId: string };
  w.created.payments.push(paymentId);
  const checkout = await send(traffic.origin, `/api/pay/${token}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': chrome },
    body: JSON.stringify({ paymentId, email: 'payer@example.com', phone: '+31 6 12345678', card: testCard }),
  });
  if (checkout.status >= 400)
    traffic.failures.push(`${w.name} checkout → ${checkout.status} ${checkout.text.slice(0, 200)}`);
  const confirmed = await created(traffic, w, '/api/payments/confirm-link', { linkId: contactLink.id });
  w.created.payments.push(confirmed.id);

  const reads = [
    '/api/contacts',
    `/api/contacts?q=${encodeURIComponent(round)}`,
    `/api/contacts/${contact.id}`,
    '/api/deals',
    `/api/deals?contactId=${contact.id}`,
    `/api/deals?pipelineId=${w.pipelineId}`,
    `/api/deals/${deal.id}`,
    '/api/payment-links',
    `/api/payment-links?dealId=${deal.id}`,
    `/api/payment-links?contactId=${contact.id}`,
    `/api/payment-links/${dealLink.id}`,
    '/api/payments',
    `/api/payments?contactId=${contact.id}`,
    `/api/payments?q=${encodeURIComponent(w.marker)}`,
    `/api/payments?status=complete&currency=EUR`,
    `/api/payments/${paymentId}`,
    '/api/payments/totals',
    '/api/payments/export.csv',
    `/api/pipelines/${w.pipelineId}/board`,
    `/api/edu/contacts/${contact.id}/enrollments`,
    '/api/members',
    '/api/api-keys',
    '/api/invitations',
  ];
  await Promise.all(reads.map((path) => as(traffic, w, 'GET', path)));
}

const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)];

/**
 * The attacker uses ids it has seen in the victim's answers (here: the victim's own list of what it
 * made) on every route that takes one. A path id must answer 404, exactly as a random one would; a
 * body or filter id must be refused without a 403 or show nothing of the victim's.
 */
export async function tryForeignIds(traffic: Traffic, attacker: Workspace, victim: Workspace): Promise<void> {
  const { contacts, deals, links, payments } = victim.created;
  if (contacts.length === 0) return;
  const [contact, deal, link, payment] = [pick(contacts)!, pick(deals)!, pick(links)!, pick(payments)!];
  const byPath: [string, string, unknown?][] = [
    ['GET', `/api/contacts/${contact}`],
    ['PATCH', `/api/contacts/${contact}`, { name: 'Mallory' }],
    ['DELETE', `/api/contacts/${contact}`],
    ['GET', `/api/deals/${deal}`],
    ['PATCH', `/api/deals/${deal}`, { title: 'Mallory' }],
    ['POST', `/api/deals/${deal}/move`, { stageId: victim.pipelineId }],
    ['DELETE', `/api/deals/${deal}`],
    ['GET', `/api/payment-links/${link}`],
    ['DELETE', `/api/payment-links/${link}`],
    ['POST', `/api/payment-links/${link}/resume-checkout`],
    ['GET', `/api/payments/${payment}`],
    ['POST', `/api/payments/${payment}/confirm`, { note: 'Mallory' }],
    ['POST', `/api/payments/${payment}/refunds`],
    ['GET', `/api/pipelines/${victim.pipelineId}`],
    ['GET', `/api/pipelines/${victim.pipelineId}/board`],
    ['GET', `/api/pipelines/${victim.pipelineId}/automations`],
    ['GET', `/api/payment-methods/${victim.methodId}`],
    ['GET', `/api/edu/contacts/${contact}/enrollments`],
  ];
  const inBody: [string, unknown][] = [
    ['/api/deals', { title: 'Mallory', contactId: contact }],
    [
      '/api/payment-links',
      {
        origin: 'deal',
        dealId: deal,
        methodId: attacker.methodId,
        description: 'x',
        amount: '1.00',
        currency: 'EUR',
      },
    ],
    [
      '/api/payment-links',
      {
        origin: 'contact',
        contactId: contact,
        methodId: attacker.methodId,
        description: 'x',
        amount: '1.00',
        currency: 'EUR',
      },
    ],
    [
      '/api/payment-links',
      {
        origin: 'contact',
        contactId: attacker.created.contacts[0],
        methodId: victim.methodId,
        description: 'x',
        amount: '1.00',
        currency: 'EUR',
      },
    ],
    ['/api/payments/confirm-link', { linkId: link }],
  ];
  const filters = [
    `/api/deals?contactId=${contact}`,
    `/api/deals?pipelineId=${victim.pipelineId}`,
    `/api/payment-links?dealId=${deal}`,
    `/api/payment-links?contactId=${contact}`,
    `/api/payments?contactId=${contact}`,
    `/api/payments?dealId=${deal}`,
    `/api/payments?methodId=${victim.methodId}`,
    `/api/payments/export.csv?contactId=${contact}`,
    `/api/payments/totals?dealId=${deal}`,
    `/api/contacts?q=${encodeURIComponent(victim.marker)}`,
    `/api/payments?q=${encodeURIComponent(victim.marker)}`,
  ];
  await Promise.all([
    ...byPath.map(async ([method, path, body]) => {
      const answer = await as(traffic, attacker, method, path, body);
      if (answer.status !== 404)
        traffic.failures.push(
          `${attacker.name} ${method} ${path} with ${victim.name}'s id → ${answer.status} ${answer.text.slice(0, 150)}`,
        );
    }),
    ...inBody.map(async ([path, body]) => {
      const answer = await as(traffic, attacker, 'POST', path, body);
      if (answer.status < 400 || answer.status === 403)
        traffic.failures.push(
          `${attacker.name} POST ${path} naming ${victim.name}'s id → ${answer.status} ${answer.text.slice(0, 150)}`,
        );
    }),
    ...filters.map(async (path) => {
      const answer = await as(traffic, attacker, 'GET', path);
      if (answer.status === 403)
        traffic.failures.push(`${attacker.name} GET ${path} → 403 confirms ${victim.name}'s id`);
    }),
  ]);
}
