import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import type { DatabaseTarget } from './database-target';
import { type ServerProcess, startServerProcess } from './server-process';

export const repoRoot = join(import.meta.dirname, '..', '..');
const webDir = join(repoRoot, 'apps', 'web');

export async function freePort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Everything the product is told for a run; rate limits raised, statement counting on. */
export function productEnv(target: DatabaseTarget, port: number, publicUrl: string, secretKey: string) {
  // The caller's DATABASE_URL or data dir must not leak in: the target decides.
  const { DATABASE_URL: _url, PAYLINKS_DATA_DIR: _dir, ...inherited } = process.env;
  const high = '1000000000';
  return {
    ...inherited,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: publicUrl,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : { PAYLINKS_DATA_DIR: target.dataDir }),
    PAYLINKS_SECRET_KEY: secretKey,
    PAYLINKS_COUNT_STATEMENTS: '1',
    // Every request of the bench comes from 127.0.0.1.
    PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: high,
    PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: high,
    PAYLINKS_RATE_LIMIT_STATUS_PER_MIN: high,
    PAYLINKS_API_KEY_RATE_LIMIT: high,
    PAYLINKS_MAX_CONNECTIONS: '10000',
  };
}

/** The built product as `npm start` runs it: node apps/web/serve.js. */
export function startProduct(
  env: Record<string, string | undefined>,
  logFile: string,
): Promise<ServerProcess> {
  return startServerProcess({
    name: 'the product server (apps/web/serve.js)',
    command: [process.execPath, 'serve.js'],
    cwd: webDir,
    env,
    port: Number(env.PORT),
    healthPath: '/api/health',
    logFile,
  });
}

export function startBaseline(config: object, port: number, logFile: string): Promise<ServerProcess> {
  return startServerProcess({
    name: 'the baseline server',
    command: [
      process.execPath,
      '--import',
      import.meta.resolve('tsx'),
      join(import.meta.dirname, 'baseline-server.ts'),
    ],
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, NODE_ENV: 'production', BENCH_BASELINE: JSON.stringify({ ...config, port }) },
    port,
    healthPath: '/health',
    logFile,
  });
}

/**
 * Where the sandbox's own webhooks go during the run (PUBLIC_URL points here): checkout start is
 * measured without the webhook it triggers, which is a scenario of its own.
 */
export async function startWebhookSink(): Promise<{
  url: string;
  received: () => number;
  close(): Promise<void>;
}> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
