import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { events, type PaylinksDb } from '@paylinks/db';
import type { EventType } from '../events/event-types.js';
import type { TestApp, TestMember } from '../testing/test-app.js';
import { testPublicUrl } from '../testing/test-app.js';
import type { WebhookJobDeps } from './deliver-webhooks.js';

/** What a receiver got: the raw body, the headers that matter, and the parsed envelope. */
export interface Received {
  body: string;
  signature: string;
  eventId: string;
  event: {
    id: string;
    type: string;
    createdAt: string;
    data: { payment?: { id: string }; paymentId?: string };
  };
}

/** How the receiver answers the next request: a status, a redirect, or never (so the sender times out). */
export type Answer = number | 'hang' | { redirectTo: string };

/**
 * A real HTTP endpoint on 127.0.0.1, like an integrator's: it records every delivery and answers
 * 200 unless told otherwise (`answers` are used in order, then 200 again).
 */
export async function startReceiver() {
  const received: (Received & { path: string })[] = [];
  const answers: Answer[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        path: req.url ?? '',
        body,
        signature: String(req.headers['paylinks-signature'] ?? ''),
        eventId: String(req.headers['paylinks-event-id'] ?? ''),
        event: JSON.parse(body),
      });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      if (typeof answer === 'object') res.writeHead(302, { location: answer.redirectTo }).end();
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answers,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The delivery job as an instance of the test app runs it: its database, clock and secret key. */
export function jobDeps(app: TestApp, overrides: Partial<WebhookJobDeps> = {}): WebhookJobDeps {
  return {
    db: app.database.db,
    clock: app.clock,
    logger: app.logger,
    secretKey: Buffer.alloc(32, 1),
    policy: { publicUrl: testPublicUrl, allowPrivate: true },
    // Under the real 5 s, yet roomy for a local receiver on a loaded machine.
    timeoutMs: 2_000,
    ...overrides,
  };
}

const iso = (at: Date) => at.toISOString();
const money = { minor: '1050', currency: 'EUR' };

/** A stored payload of `type`, shaped as event-types.ts parses it, about a made-up payment or link. */
function storedPayload(type: EventType, subject: { paymentId: string; linkId: string }, at: Date) {
  const ids = { contactId: randomUUID(), methodId: randomUUID() };
  const payment = {
    id: subject.paymentId,
    status: 'processing',
    amount: money,
    description: 'Consulting',
    linkId: subject.linkId,
    dealId: null,
    late: false,
    duplicate: false,
    createdAt: iso(at),
    statusChangedAt: iso(at),
    ...ids,
  };
  const link = {
    id: subject.linkId,
    origin: 'contact',
    type: 'custom',
    description: 'Consulting',
    amount: money,
    dealId: null,
    validityDays: 7,
    expiresAt: iso(new Date(at.getTime() + 7 * 86_400_000)),
    createdAt: iso(at),
    deletedAt: null,
    ...ids,
  };
  switch (type) {
    case 'payment.created':
      return { payment };
    case 'payment.status_changed':
      return { payment: { ...payment, status: 'complete' }, from: 'processing', to: 'complete' };
    case 'payment.flagged':
      return { payment: { ...payment, late: true }, flag: 'late' };
    case 'link.created':
    case 'link.deleted':
      return { link };
    case 'link.expired':
      return { link, expiresAt: link.expiresAt };
    case 'deal.created':
      return {
        deal: {
          id: randomUUID(),
          title: 'Consulting',
          contactId: ids.contactId,
          pipelineId: randomUUID(),
          stageId: randomUUID(),
          amount: money,
          createdAt: iso(at),
        },
        paymentId: subject.paymentId,
        linkId: subject.linkId,
      };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** Writes events into the outbox the way the API's own statements do, one row each, in order. */
export async function insertEvents(
  db: PaylinksDb,
  input: { workspaceId: string; at: Date; paymentId?: string; linkId?: string; types: EventType[] },
): Promise<string[]> {
  const subject = { paymentId: input.paymentId ?? randomUUID(), linkId: input.linkId ?? randomUUID() };
  const ids: string[] = [];
  for (const type of input.types) {
    const [row] = await db
      .insert(events)
      .values({
        workspaceId: input.workspaceId,
        type,
        paymentId: type.startsWith('payment.') || type === 'deal.created' ? subject.paymentId : null,
        linkId: subject.linkId,
        payload: storedPayload(type, subject, input.at),
        createdAt: input.at,
      })
      .returning({ id: events.id });
    ids.push(row!.id);
  }
  return ids;
}

/** Adds an endpoint through the API as `member`; the answer, secret included. */
export async function addEndpoint(app: TestApp, member: TestMember, body: Record<string, unknown>) {
  const response = await app.call(member, 'POST', '/api/webhook-endpoints', body);
  if (response.status !== 201)
    throw new Error(`endpoint creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; secret: string; url: string };
}

/**
 * The README's verification snippet, run as an integrator would paste it: the test fails when the
 * README shows code that does not verify what we send.
 */
export function readmeVerifier(): (
  rawBody: string,
  header: string,
  secret: string,
  nowSeconds?: number,
) => boolean {
  const readme = readFileSync(join(import.meta.dirname, '../../../../README.md'), 'utf8');
  const snippet =
    /<!-- webhook-verification:start -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-verification:end -->/.exec(
      readme,
    )?.[1];
  if (!snippet) throw new Error('README.md has no webhook verification snippet between its markers');
  const require = createRequire(import.meta.url);
  return new Function('require', `${snippet}\nreturn verifyPaylinksSignature;`)(require);
}
