import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stripeCurrencies, stripeExponent } from '../stripe-money.js';
import { checkoutPage } from './checkout-page.js';
import { type FormObject, type FormValue, parseFormBody } from './form-body.js';
import { type Json, simId, stripeErrorBody } from './simulator-objects.js';
import { createSimulatorStore, SimulatorError } from './simulator-store.js';
import { createWebhookDelivery, stripeRetryDelaysMs, type WebhookEndpoint } from './webhook-delivery.js';

/** Keys a test can use as is; any other key is refused like a revoked one. */
export const SIMULATOR_SECRET_KEY = 'sk_test_simulator0123456789abcdef';
export const SIMULATOR_WEBHOOK_SECRET = 'whsec_simulator0123456789abcdef0123';

export type RecordedRequest = {
  method: string;
  path: string;
  query: FormObject;
  form: FormObject;
  idempotencyKey: string | undefined;
  /** The key's last four characters only, so recorded requests can be printed. */
  keyEnding: string | undefined;
  status: number;
};

export type StripeSimulatorOptions = {
  apiKeys?: readonly string[];
  webhookEndpoints?: readonly WebhookEndpoint[];
  /** The wait before each webhook retry; Stripe's backoff over three days by default. */
  retryDelaysMs?: readonly number[];
  now?: () => Date;
  /** 'pending' keeps refunds pending until settleRefund, to test charge.refund.updated. */
  refunds?: 'immediate' | 'pending';
};

type Injected = { status: number; json: Json };

const currencyDigits = (currency: string) => {
  const code = currency.toUpperCase();
  return stripeCurrencies.includes(code) ? stripeExponent(code) : undefined;
};

/** A small Stripe on 127.0.0.1: the API endpoints the plugin calls, a hosted checkout page, signed webhooks. */
export function createStripeSimulator(options: StripeSimulatorOptions = {}) {
  const now = options.now ?? (() => new Date());
  const apiKeys = new Set(options.apiKeys ?? [SIMULATOR_SECRET_KEY]);
  const endpoints: WebhookEndpoint[] = [...(options.webhookEndpoints ?? [])];
  const requests: RecordedRequest[] = [];
  const events: Json[] = [];
  const idempotent = new Map<string, { body: string; status: number; json: Json }>();
  const injected: Injected[] = [];
  let baseUrl = '';
  const delivery = createWebhookDelivery({
    retryDelaysMs: options.retryDelaysMs ?? stripeRetryDelaysMs,
    now,
  });

  const buildEvent = (type: string, object: Json): Json => ({
    id: simId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(now().getTime() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: endpoints.length,
    request: { id: null, idempotency_key: null },
  });

  const store = createSimulatorStore({
    now,
    baseUrl: () => baseUrl,
    currencyDigits,
    refunds: options.refunds ?? 'immediate',
    emit(type, object) {
      const event = buildEvent(type, object);
      events.push(event);
      delivery.send(endpoints, event as { id: string; type: string });
    },
  });

  function api(
    method: string,
    path: string,
    form: FormObject,
    query: FormObject,
  ): { status: number; json: Json } {
    const session = path.match(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/);
    if (method === 'GET' && path === '/v1/balance') {
      return { status: 200, json: { object: 'balance', available: [], pending: [], livemode: false } };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      return { status: 200, json: store.present(store.createSession(form), []) };
    }
    if (session?.[1] && method === 'GET' && !session[2]) {
      return { status: 200, json: store.present(store.session(session[1]), expandOf(query)) };
    }
    if (session?.[1] && method === 'POST' && session[2]) {
      return { status: 200, json: store.present(store.expireSession(session[1]), []) };
    }
    if (method === 'POST' && path === '/v1/refunds') return { status: 200, json: { ...store.refund(form) } };
    throw new SimulatorError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }

  async function handleApi(
    req: IncomingMessage,
    body: string,
    url: URL,
  ): Promise<{ status: number; json: Json }> {
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const idempotencyKey = header(req, 'idempotency-key');
    const query = parseFormBody(url.search.slice(1));
    const form = parseFormBody(body);
    const answer = (() => {
      if (!key || !apiKeys.has(key)) {
        const shown = key ? `${key.slice(0, 8)}****${key.slice(-4)}` : 'none';
        return {
          status: 401,
          json: stripeErrorBody('invalid_request_error', `Invalid API Key provided: ${shown}`),
        };
      }
      const fault = injected.shift();
      if (fault) return fault;
      const scoped = idempotencyKey && req.method === 'POST' ? `${key}:${idempotencyKey}` : undefined;
      const earlier = scoped ? idempotent.get(scoped) : undefined;
      if (earlier && earlier.body !== body) {
        return {
          status: 400,
          json: stripeErrorBody(
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          ),
        };
      }
      if (earlier) return { status: earlier.status, json: earlier.json };
      let result: { status: number; json: Json };
      try {
        result = api(req.method ?? 'GET', url.pathname, form, query);
      } catch (error) {
        if (!(error instanceof SimulatorError)) throw error;
        const extra = {
          ...(error.code ? { code: error.code } : {}),
          ...(error.param ? { param: error.param } : {}),
        };
        result = { status: error.status, json: stripeErrorBody(error.type, error.message, extra) };
      }
      // Stripe keeps the first answer for a key, errors included (but not 5xx), and replays it.
      if (scoped && result.status < 500) idempotent.set(scoped, { body, ...result });
      return result;
    })();
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      form,
      idempotencyKey,
      keyEnding: key?.slice(-4),
      status: answer.status,
    });
    return answer;
  }

  function handlePage(req: IncomingMessage, res: ServerResponse, url: URL) {
    const match = url.pathname.match(/^\/pay\/(cs_[A-Za-z0-9_]+)(?:\/(pay|decline|cancel))?$/);
    const session = match?.[1] ? store.sessions.get(match[1]) : undefined;
    if (!match?.[1] || !session) return send(res, 404, 'text/plain', 'No such checkout');
    const action = match[2];
    if (req.method === 'GET' && !action) {
      const notice = url.searchParams.get('declined')
        ? 'Your card was declined. Try another card.'
        : undefined;
      return send(res, 200, 'text/html; charset=utf-8', checkoutPage(store.session(session.id), notice));
    }
    if (req.method !== 'POST' || !action) return send(res, 405, 'text/plain', 'Method not allowed');
    try {
      switch (action) {
        case 'pay':
          store.pay(session.id);
          return redirect(res, session.success_url ?? url.pathname);
        case 'decline':
          store.decline(session.id);
          return redirect(res, `/pay/${session.id}?declined=1`);
        case 'cancel':
          return redirect(res, session.cancel_url ?? url.pathname);
        default:
          return send(res, 404, 'text/plain', 'No such action');
      }
    } catch (error) {
      if (!(error instanceof SimulatorError)) throw error;
      return send(res, 409, 'text/html; charset=utf-8', checkoutPage(session, error.message));
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', baseUrl || 'http://127.0.0.1');
      if (url.pathname.startsWith('/v1/')) {
        void handleApi(req, body, url).then(
          ({ status, json }) => send(res, status, 'application/json', JSON.stringify(json)),
          () =>
            send(
              res,
              500,
              'application/json',
              JSON.stringify(stripeErrorBody('api_error', 'Simulator failure')),
            ),
        );
        return;
      }
      handlePage(req, res, url);
    });
  });

  return {
    /** http://127.0.0.1:<port>, once started: what PAYLINKS_STRIPE_API_URL is set to. */
    get url() {
      return baseUrl;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return baseUrl;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    requests,
    /** Every event the account produced, sent or not. */
    events,
    deliveries: delivery.attempts,
    settled: delivery.settled,
    store,
    /** Where Stripe sends events, as the dashboard's webhook endpoints. */
    addWebhookEndpoint(endpoint: WebhookEndpoint) {
      endpoints.push(endpoint);
    },
    /** The next API request (after authentication) answers this instead: 5xx, 429, card errors. */
    failNext(status: number, type: string, message: string, code?: string) {
      injected.push({ status, json: stripeErrorBody(type, message, code ? { code } : {}) });
    },
    /** An event as Stripe would send it, not sent, for tests that sign and post it themselves. */
    buildEvent,
  };
}

export type StripeSimulator = ReturnType<typeof createStripeSimulator>;

function expandOf(query: FormObject): string[] {
  const expand: FormValue | undefined = query.expand;
  if (Array.isArray(expand)) return expand.filter((path): path is string => typeof path === 'string');
  return typeof expand === 'string' ? [expand] : [];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { location });
  res.end();
}
