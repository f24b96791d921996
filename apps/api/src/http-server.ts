import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { ServerLimits } from './config.js';
import { answerClientErrors } from './http-client-errors.js';
import { keepConnectionAfterEarlyAnswer } from './unread-request-body.js';

type Fetch = Parameters<typeof getRequestListener>[0];

/**
 * Node's HTTP server with our limits: a client that sends its headers or body slowly is cut off
 * after the configured time instead of Node's 300 s, idle keep-alive connections close, and past
 * `maxConnections` a new connection is closed at once. Resolves once it listens.
 */
export async function listenHttp(
  fetch: Fetch,
  options: { port: number; host: string; limits: ServerLimits },
): Promise<Server> {
  const { limits } = options;
  // We drop unread bodies ourselves (unread-request-body.ts); Hono's own cleanup cuts a connection
  // half a second after an early answer even when it said keep-alive.
  const listener = getRequestListener(fetch, { hostname: options.host, autoCleanupIncoming: false });
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks both timeouts only this often (30 s by default): a quarter of the shorter one,
      // at most a second, keeps the cut-off close to what is configured.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      keepConnectionAfterEarlyAnswer(req, res, limits.requestTimeoutMs);
      void listener(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
