// `npm start`: the whole product. Reads the same environment as the API's standalone server, turns it
// into adapter-node's settings, then starts the built app (build/), whose init hook opens the API.
// adapter-node's own defaults would listen on 0.0.0.0 and build URLs from the Host header; ours listen
// on 127.0.0.1 and take every URL, and the Origin that form posts must carry, from PUBLIC_URL.
//
// On PostgreSQL it runs PAYLINKS_WORKERS processes (default: one per core) sharing one port: this file
// is both the primary (serve-primary.js) and each worker. Every worker opens the API, background jobs
// included; they take their work with row locks and leases, so they share it. PGlite allows one writer
// per data directory, so there it is one process.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { readEmbeddedConfig } from '@paylinks/api/embedded';
import { runPrimary } from './serve-primary.js';

const fail = (message) => {
  console.error(`\n  Paylinks could not start: ${message}\n`);
  process.exit(1);
};

let config;
try {
  config = readEmbeddedConfig(process.env);
} catch (error) {
  if (error instanceof Error && error.name === 'ConfigError') fail(error.message);
  throw error;
}

const env = process.env;
env.HOST ||= config.host;
env.PORT ||= String(config.port);
env.ORIGIN ||= new URL(config.publicUrl).origin;
// adapter-node counts these in seconds.
env.HEADERS_TIMEOUT ||= String(Math.ceil(config.server.headersTimeoutMs / 1000));
env.KEEP_ALIVE_TIMEOUT ||= String(Math.ceil(config.server.keepAliveTimeoutMs / 1000));

const announce = (processes) =>
  console.log(
    `\n  Paylinks is running at ${config.publicUrl}${processes > 1 ? ` (${processes} worker processes)` : ''}\n  Health: ${config.publicUrl}/api/health\n`,
  );

/** Opens the API and listens, in this process. */
async function serve() {
  let started;
  try {
    started = await import('./build/index.js');
  } catch (error) {
    if (error instanceof Error && error.name === 'DataDirectoryLockedError') fail(error.message);
    if (
      error instanceof Error &&
      error.code === 'ERR_MODULE_NOT_FOUND' &&
      /build\/index\.js/.test(error.message)
    )
      fail('apps/web is not built yet: run `pnpm build` (npm start does it for you)');
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  const http = started.server.server;
  // Limits adapter-node has no setting for, as the standalone server applies them.
  http.requestTimeout = config.server.requestTimeoutMs;
  http.maxConnections = config.server.maxConnections;
  if (!http.listening) await new Promise((resolve) => http.once('listening', resolve));
}

function processCount() {
  if (config.driver === 'pglite') {
    if ((config.workers ?? 1) > 1)
      console.log(
        `\n  PAYLINKS_WORKERS=${config.workers} is ignored: the embedded database (PGlite) allows one process per data directory, so Paylinks runs one process. Set DATABASE_URL to run ${config.workers} worker processes.`,
      );
    return 1;
  }
  return config.workers ?? availableParallelism();
}

if (cluster.isWorker) {
  await serve();
  // adapter-node emits this once SIGTERM/SIGINT has drained the requests (the API then closes its
  // database); leaving the cluster lets the process end instead of idling on the primary's channel.
  process.once('sveltekit:shutdown', () => cluster.worker.disconnect());
  process.send({ paylinks: 'listening' });
} else {
  const processes = processCount();
  if (processes === 1) {
    await serve();
    announce(1);
  } else {
    runPrimary({ workers: processes, onAllListening: () => announce(processes) });
  }
}
