import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mollieCurrencyDecimals } from '../mollie-money.js';
import type { MollieObservation } from '../mollie-status.js';
import {
  CHECKOUT_OUTCOMES,
  type CheckoutOutcome,
  checkoutPage,
  closedPage,
} from './simulator-checkout-page.js';
import { errorBody, methodsJson, paymentJson, refundJson, remaining } from './simulator-payment-json.js';
import { mollieId, moveTo, type SimulatedPayment, sumAmounts } from './simulator-store.js';
import {
  createTestCertificate,
  type TestCertificate,
  trustCertificateInThisProcess,
} from './test-certificate.js';
import { createWebhookSender, type DeliverWebhook, type WebhookSender } from './webhook-sender.js';

export type RecordedRequest = {
  method: string;
  path: string;
  idempotencyKey?: string;
  /** The parsed JSON body, to check the amounts the plugin sent. The API key is never recorded. */
  body?: unknown;
};

export type MollieSimulatorOptions = {
  /** The keys it accepts; others get 401 like a revoked key. Default: any test_/live_ key. */
  apiKeys?: readonly string[];
  /** Compresses Mollie's webhook retry schedule (26 hours) for tests; see webhook-sender.ts. */
  webhookTimeScale?: number;
  /** Where webhook calls go; by default over the network to the payment's webhookUrl. */
  deliverWebhook?: DeliverWebhook;
  /** Makes the SDK in this process trust the simulator's certificate (default true). */
  trustInThisProcess?: boolean;
};

export type MollieSimulator = Awaited<ReturnType<typeof startMollieSimulator>>;

type Answer = { status: number; body: unknown };

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('Body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A local stand-in for the part of Mollie's v2 API the plugin uses, over https with a certificate
 * made at start: payments (create, get, cancel), payment refunds, methods, a test-mode checkout page
 * and webhooks with Mollie's retries. State lives in memory.
 */
export async function startMollieSimulator(options: MollieSimulatorOptions = {}) {
  const certificate: TestCertificate = await createTestCertificate();
  const untrust =
    options.trustInThisProcess === false ? () => {} : trustCertificateInThisProcess(certificate.cert);
  const payments = new Map<string, SimulatedPayment>();
  const idempotent = new Map<string, Answer>();
  const requests: RecordedRequest[] = [];
  const webhooks: WebhookSender = createWebhookSender({
    timeScale: options.webhookTimeScale ?? 1,
    ...(options.deliverWebhook ? { deliver: options.deliverWebhook } : {}),
  });
  let baseUrl = '';

  const keyAccepted = (key: string) =>
    options.apiKeys ? options.apiKeys.includes(key) : /^(test|live)_[A-Za-z0-9]+$/.test(key);

  function notify(payment: SimulatedPayment): void {
    if (payment.webhookUrl) webhooks.send(payment.webhookUrl, payment.id);
  }

  function createPayment(apiKey: string, body: Record<string, unknown>): Answer {
    const amount = body.amount as { currency?: unknown; value?: unknown } | undefined;
    const decimals =
      typeof amount?.currency === 'string' ? mollieCurrencyDecimals[amount.currency] : undefined;
    if (decimals === undefined)
      return { status: 422, body: errorBody(422, 'The amount currency is not supported', 'amount.currency') };
    const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${decimals}}$`);
    if (typeof amount?.value !== 'string' || !pattern.test(amount.value) || /^[0.]+$/.test(amount.value)) {
      return { status: 422, body: errorBody(422, 'The amount contains an invalid value', 'amount.value') };
    }
    if (
      typeof body.description !== 'string' ||
      body.description.length === 0 ||
      body.description.length > 255
    ) {
      return { status: 422, body: errorBody(422, 'The description is invalid', 'description') };
    }
    if (typeof body.redirectUrl !== 'string' || !URL.canParse(body.redirectUrl)) {
      return { status: 422, body: errorBody(422, 'The redirect URL is invalid', 'redirectUrl') };
    }
    if (
      body.webhookUrl !== undefined &&
      (typeof body.webhookUrl !== 'string' || !URL.canParse(body.webhookUrl))
    ) {
      return { status: 422, body: errorBody(422, 'The webhook URL is invalid', 'webhookUrl') };
    }
    const payment: SimulatedPayment = {
      id: mollieId('tr'),
      apiKey,
      status: 'open',
      amount: { currency: amount.currency as string, value: amount.value },
      description: body.description,
      redirectUrl: body.redirectUrl,
      ...(typeof body.webhookUrl === 'string' ? { webhookUrl: body.webhookUrl } : {}),
      metadata: body.metadata ?? null,
      cancelable: true,
      createdAt: new Date().toISOString(),
      refunds: [],
    };
    payments.set(payment.id, payment);
    return { status: 201, body: paymentJson(payment, baseUrl) };
  }

  function refund(payment: SimulatedPayment, body: Record<string, unknown>): Answer {
    if (payment.status !== 'paid')
      return { status: 422, body: errorBody(422, 'The payment is not refundable') };
    const amount = body.amount as { currency?: unknown; value?: unknown } | undefined;
    const decimals = mollieCurrencyDecimals[payment.amount.currency] ?? 2;
    const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${decimals}}$`);
    if (
      amount?.currency !== payment.amount.currency ||
      typeof amount.value !== 'string' ||
      !pattern.test(amount.value)
    ) {
      return { status: 422, body: errorBody(422, 'The amount contains an invalid value', 'amount') };
    }
    const minor = (value: string | undefined) => (value ? BigInt(value.replace('.', '')) : 0n);
    if (minor(payment.amountRefunded?.value) + minor(amount.value) > minor(payment.amount.value)) {
      return {
        status: 422,
        body: errorBody(422, 'The amount is higher than the refundable amount', 'amount'),
      };
    }
    const created = {
      id: mollieId('re'),
      paymentId: payment.id,
      amount: { currency: payment.amount.currency, value: amount.value },
      status: 'pending' as const,
      createdAt: new Date().toISOString(),
    };
    payment.refunds.push(created);
    payment.amountRefunded = sumAmounts(payment.amountRefunded, created.amount, decimals);
    // Mollie calls the payment's webhook when a refund is made, not a refund webhook of its own.
    notify(payment);
    return { status: 201, body: refundJson(created, baseUrl) };
  }

  function api(
    method: string,
    path: string,
    apiKey: string,
    body: Record<string, unknown>,
    query = new URLSearchParams(),
  ): Answer {
    if (method === 'GET' && path === '/v2/methods') return { status: 200, body: methodsJson(baseUrl) };
    if (method === 'POST' && path === '/v2/payments') return createPayment(apiKey, body);
    const match = /^\/v2\/payments\/(tr_[A-Za-z0-9]+)(\/refunds)?$/.exec(path);
    const payment = match?.[1] ? payments.get(match[1]) : undefined;
    // Another key's payment is as unknown as a made-up one: Mollie scopes payments to the key.
    if (!match || !payment || payment.apiKey !== apiKey) {
      return {
        status: 404,
        body: errorBody(404, `No payment exists with token ${match?.[1] ?? 'unknown'}.`),
      };
    }
    if (match[2]) {
      return method === 'POST'
        ? refund(payment, body)
        : { status: 405, body: errorBody(405, 'Method not allowed') };
    }
    if (method === 'GET') {
      const embedRefunds = (query.get('embed') ?? '').split(',').includes('refunds');
      return { status: 200, body: paymentJson(payment, baseUrl, { embedRefunds }) };
    }
    if (method === 'DELETE') {
      if (payment.status !== 'open' || !payment.cancelable) {
        return { status: 422, body: errorBody(422, 'The payment cannot be canceled') };
      }
      moveTo(payment, 'canceled', new Date());
      return { status: 200, body: paymentJson(payment, baseUrl) };
    }
    return { status: 405, body: errorBody(405, 'Method not allowed') };
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    raw: string,
    query: URLSearchParams,
  ) {
    const method = req.method ?? 'GET';
    const idempotencyKey =
      typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    let body: Record<string, unknown> = {};
    try {
      body = raw.length > 0 ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(res, { status: 400, body: errorBody(400, 'The request body is not valid JSON') });
    }
    requests.push({ method, path, ...(idempotencyKey ? { idempotencyKey } : {}), ...(raw ? { body } : {}) });
    const apiKey = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!keyAccepted(apiKey)) {
      return send(res, {
        status: 401,
        body: errorBody(401, 'Missing authentication, or failed to authenticate'),
      });
    }
    const replayKey = idempotencyKey && method !== 'GET' ? `${apiKey}\u0000${idempotencyKey}` : undefined;
    const replayed = replayKey ? idempotent.get(replayKey) : undefined;
    if (replayed) return send(res, replayed);
    const answer = api(method, path, apiKey, body, query);
    if (replayKey && answer.status < 500) idempotent.set(replayKey, answer);
    send(res, answer);
  }

  function send(res: ServerResponse, answer: Answer) {
    res.writeHead(answer.status, { 'content-type': 'application/hal+json' });
    res.end(JSON.stringify(answer.body));
  }

  function html(res: ServerResponse, status: number, page: string) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  }

  function handleCheckout(req: IncomingMessage, res: ServerResponse, id: string, raw: string) {
    const payment = payments.get(id);
    if (!payment) return html(res, 404, '<!doctype html><title>Not found</title><h1>No such payment</h1>');
    if (req.method === 'GET')
      return html(
        res,
        payment.status === 'open' ? 200 : 410,
        payment.status === 'open' ? checkoutPage(payment) : closedPage(payment),
      );
    const outcome = new URLSearchParams(raw).get('status') as CheckoutOutcome | null;
    if (!outcome || !CHECKOUT_OUTCOMES.includes(outcome)) return html(res, 400, closedPage(payment));
    if (payment.status !== 'open') return html(res, 410, closedPage(payment));
    moveTo(payment, outcome, new Date());
    notify(payment);
    res.writeHead(303, { location: payment.redirectUrl ?? '/' });
    res.end();
  }

  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://simulator');
    const path = url.pathname;
    readBody(req)
      .then((raw) => {
        const checkout = /^\/checkout\/(tr_[A-Za-z0-9]+)$/.exec(path);
        if (checkout?.[1]) return handleCheckout(req, res, checkout[1], raw);
        if (path.startsWith('/v2/')) return handleApi(req, res, path, raw, url.searchParams);
        send(res, { status: 404, body: errorBody(404, 'Not found') });
      })
      .catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: errorBody(500, 'The simulator failed') });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const find = (id: string) => {
    const payment = payments.get(id);
    if (!payment) throw new Error(`The simulator has no payment ${id}`);
    return payment;
  };

  return {
    url: baseUrl,
    /** What PAYLINKS_MOLLIE_API_URL (the SDK's apiEndpoint) must be. */
    apiEndpoint: `${baseUrl}/v2/`,
    certificate: certificate.cert,
    requests,
    webhooks,
    payment: (id: string): Readonly<SimulatedPayment> => find(id),
    /** What the payer's click on the checkout page does: a status, then the webhook. */
    complete(id: string, outcome: CheckoutOutcome): void {
      moveTo(find(id), outcome, new Date());
      notify(find(id));
    },
    /** Puts a payment into an observed state without a webhook (refunds and chargebacks by amount). */
    setObservation(id: string, observation: MollieObservation): void {
      const payment = find(id);
      const decimals = mollieCurrencyDecimals[payment.amount.currency] ?? 2;
      delete payment.amountRefunded;
      delete payment.amountChargedBack;
      if (observation === 'paid_refunded' || observation === 'paid_charged_back') {
        moveTo(payment, 'paid', new Date());
        const full = sumAmounts(undefined, payment.amount, decimals);
        if (observation === 'paid_refunded') payment.amountRefunded = full;
        else payment.amountChargedBack = full;
        return;
      }
      moveTo(payment, observation, new Date());
    },
    /** The team refunded in Mollie's own dashboard (all that is left, or `value`): Mollie calls the webhook. */
    refundInDashboard(id: string, value?: string): void {
      const payment = find(id);
      const answer = refund(payment, {
        amount: { currency: payment.amount.currency, value: value ?? remaining(payment).value },
      });
      if (answer.status !== 201)
        throw new Error(`The simulator refused the refund: ${JSON.stringify(answer.body)}`);
    },
    /** A pending refund's final word: refunded, or failed (its amount is refundable again); Mollie calls the webhook. */
    settleRefund(paymentId: string, refundId: string, outcome: 'refunded' | 'failed'): void {
      const payment = find(paymentId);
      const refund = payment.refunds.find((r) => r.id === refundId);
      if (refund?.status !== 'pending') throw new Error(`The simulator has no pending refund ${refundId}`);
      refund.status = outcome;
      if (outcome === 'failed') {
        const decimals = mollieCurrencyDecimals[payment.amount.currency] ?? 2;
        const back = { ...refund.amount, value: `-${refund.amount.value}` };
        payment.amountRefunded = sumAmounts(payment.amountRefunded, back, decimals);
      }
      notify(payment);
    },
    /** Card payments in progress cannot be canceled at Mollie. */
    setCancelable(id: string, cancelable: boolean): void {
      find(id).cancelable = cancelable;
    },
    /** A payment in the same account that Paylinks did not create (no metadata of ours). */
    createForeignPayment(apiKey: string, status: MollieObservation = 'paid'): string {
      const answer = createPayment(apiKey, {
        amount: { currency: 'EUR', value: '12.34' },
        description: 'Created by another integration',
        redirectUrl: 'https://elsewhere.example/return',
      });
      const id = (answer.body as { id: string }).id;
      this.setObservation(id, status);
      return id;
    },
    async stop(): Promise<void> {
      webhooks.stop();
      untrust();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
