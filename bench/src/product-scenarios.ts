import type { SandboxCheckout } from '@paylinks/plugin-sandbox';
import {
  createSandboxWebhookEvent,
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
} from '@paylinks/plugin-sandbox';
import { type BenchRequest, consume, type LoadSettings, type Measurement, measure, rotate } from './load';
import { browserHeaders } from './page-weight';
import { type SectionShape, sectionPages, sectionPath } from './payments-section';
import type { ScenarioId } from './results';
import { AMOUNT_MINOR, CURRENCY, DESCRIPTION, type Fixtures } from './seed';
import type { ServerProcess } from './server-process';
import type { BenchWorkspace } from './workspace-setup';

export interface ProductRun {
  measurements: Partial<Record<ScenarioId, Measurement>>;
  /** Body sizes the baseline copies: what each scenario sent and got back. */
  shapes: Partial<Record<ScenarioId, { requestBytes: number; responseBytes: number }>>;
}

const json = { 'content-type': 'application/json' };

async function probe(
  server: ServerProcess,
  request: BenchRequest,
): Promise<{ status: number; bytes: number }> {
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const bytes = (await response.arrayBuffer()).byteLength;
  if (!response.ok)
    throw new Error(`${request.method} ${request.path} answered ${response.status} before the run`);
  return { status: response.status, bytes };
}

/** Signed `paid` events for Processing payments, as the sandbox sends them, signed now. */
function signedEvents(ws: BenchWorkspace, fixtures: Fixtures): BenchRequest[] {
  const signedAt = new Date();
  return fixtures.webhooks.map(({ paymentId, reference }) => {
    const checkout = {
      reference,
      paymentId,
      amount: { minor: AMOUNT_MINOR, currency: CURRENCY },
    } as unknown as SandboxCheckout;
    const event = createSandboxWebhookEvent(checkout, 'paid', signedAt);
    return {
      method: 'POST',
      path: `/api/webhooks/${ws.methodId}`,
      headers: {
        ...json,
        [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload({
          secret: ws.webhookSecret,
          body: event.body,
          signedAt,
        }),
      },
      body: event.body,
    } satisfies BenchRequest;
  });
}

/** Every scenario against the product, in an order that never lets one's fixtures meet another's. */
export async function runProductScenarios(
  server: ServerProcess,
  ws: BenchWorkspace,
  fixtures: Fixtures,
  section: SectionShape,
  publicUrl: string,
  settings: LoadSettings,
  onDone: (id: ScenarioId, m: Measurement) => void,
): Promise<ProductRun> {
  const run: ProductRun = { measurements: {}, shapes: {} };
  const record = async (id: ScenarioId, next: () => BenchRequest, probeWith: BenchRequest) => {
    const answer = await probe(server, probeWith);
    run.shapes[id] = { requestBytes: Buffer.byteLength(probeWith.body ?? ''), responseBytes: answer.bytes };
    const measured = await measure(server, next, settings);
    run.measurements[id] = measured;
    onDone(id, measured);
  };
  const origin = new URL(publicUrl).origin;

  // 1. A new visitor each request (no cookie): every one records a click-through, spread over enough
  // links to stay under the per-link cap of 30 a minute.
  const clickToken = rotate(fixtures.clickTokens);
  const click = (): BenchRequest => ({
    method: 'GET',
    path: `/api/pay/${clickToken()}`,
    headers: browserHeaders,
  });
  await record('click-through', click, click());
  const page = (): BenchRequest => ({ method: 'GET', path: `/pay/${clickToken()}`, headers: browserHeaders });
  await record('payment-page', page, page());

  // 2. The payer submits the sandbox's paying card for the payment their visit recorded.
  const checkoutBody = (paymentId: string) =>
    JSON.stringify({
      paymentId,
      email: 'payer@example.com',
      phone: '+31 6 12345678',
      card: { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' },
    });
  const checkouts = consume(fixtures.checkouts);
  const checkout = (): BenchRequest => {
    const { token, paymentId } = checkouts.next();
    return {
      method: 'POST',
      path: `/api/pay/${token}/checkout`,
      headers: { ...json, origin, 'user-agent': browserHeaders['user-agent'] },
      body: checkoutBody(paymentId),
    };
  };
  await record('checkout', checkout, checkout());

  // 3. First deliveries, then the same deliveries again (the provider retrying).
  const events = signedEvents(ws, fixtures);
  const firsts = consume(events);
  await record('webhook', firsts.next, firsts.next());
  const delivered = events.slice(0, firsts.used());
  const again = rotate(delivered);
  await record('webhook-duplicate', again, delivered[0]!);

  // 4. Scripts with API keys create links.
  const key = rotate(ws.apiKeys);
  const linkBody = JSON.stringify({
    origin: 'contact',
    contactId: ws.contactId,
    methodId: ws.methodId,
    amount: '1234.56',
    currency: CURRENCY,
    description: DESCRIPTION,
    validityDays: 7,
    type: 'custom',
  });
  const createLink = (): BenchRequest => ({
    method: 'POST',
    path: '/api/payment-links',
    headers: { ...json, authorization: `Bearer ${key()}` },
    body: linkBody,
  });
  await record('link-creation', createLink, createLink());

  // 5. The Payments section over the seeded history.
  for (const name of sectionPages) {
    const path = sectionPath(name, section);
    const list = (): BenchRequest => ({ method: 'GET', path, headers: { authorization: `Bearer ${key()}` } });
    await record(`section-${name}`, list, list());
  }
  return run;
}
