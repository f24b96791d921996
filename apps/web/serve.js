// `npm start`: the whole product in one process. Reads the same environment as the API's standalone
// server, turns it into adapter-node's settings, then starts the built app (build/), whose init hook
// opens the API. adapter-node's own defaults would listen on 0.0.0.0 and build URLs from the Host
// header; ours listen on 127.0.0.1 and take every URL, and the Origin that form posts must carry,
// from PUBLIC_URL.
import { readEmbeddedConfig } from '@paylinks/api/embedded';

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
console.log(`\n  Paylinks is running at ${config.publicUrl}\n  Health: ${config.publicUrl}/api/health\n`);
