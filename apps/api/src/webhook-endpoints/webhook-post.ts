import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, staticUrlRefusal, type WebhookTargetPolicy } from './webhook-url-guard.js';

/** What one POST to an endpoint came to; `status` is absent when no answer arrived. */
export type PostOutcome =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; status?: number; error: string; durationMs: number };

/**
 * POSTs one signed delivery. A 2xx is success; anything else, a redirect included (never followed:
 * it could point anywhere), a timeout or a refused address is a failure to retry. The URL is checked
 * again here and the socket only ever connects to an address the guard let through.
 */
export function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: WebhookTargetPolicy;
  timeoutMs: number;
}): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refusal = staticUrlRefusal(input.url, input.policy);
  if (refusal) return Promise.resolve({ ok: false, error: refusal.message, durationMs: 0 });
  const url = new URL(input.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          ...input.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(input.body)),
          'user-agent': 'Paylinks-Webhooks/1',
        },
        lookup: guardedLookup(input.policy),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Only the status matters; the body is dropped unread.
        res.resume();
        res.on('error', () => {});
        if (status >= 200 && status < 300) finish({ ok: true, status, durationMs: elapsed() });
        else
          finish({
            ok: false,
            status,
            error:
              status >= 300 && status < 400
                ? `redirect to elsewhere (${status}), not followed`
                : `HTTP ${status}`,
            durationMs: elapsed(),
          });
        req.destroy();
      },
    );
    // The whole exchange, not only an idle socket: an endpoint that trickles bytes still runs out.
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${input.timeoutMs} ms`, durationMs: elapsed() });
      req.destroy();
    }, input.timeoutMs);
    req.on('error', (error) => finish({ ok: false, error: shortError(error), durationMs: elapsed() }));
    req.end(input.body);
  });
}

function shortError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text =
    error.name === 'WebhookTargetRefused'
      ? error.message
      : code
        ? `connection failed (${code})`
        : error.message;
  return text.slice(0, 200);
}
