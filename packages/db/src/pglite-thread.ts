import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PaylinksDb } from './database';
import { once } from './once';
import type { PgliteEngine, PgliteEngineOptions } from './open-pglite';
import * as schema from './schema/index';

type WorkerReply = { type: 'listening' } | { type: 'failed'; error: unknown } | { type: 'closed' };

/** Found through the package's package.json, as the migrations are: apps/api's bundle cannot hold it. */
function workerFile(): string {
  const packageJson = createRequire(import.meta.url).resolve('@paylinks/db/package.json');
  return join(dirname(packageJson), 'src', 'pglite-thread-worker.js');
}

// A unix socket's path must fit in 108 bytes.
const MAX_SOCKET_PATH = 100;

/**
 * In the data directory when its path is short enough: the directory is private, our lock says no other
 * process uses it, so a socket a killed process left behind can go. Otherwise (and in memory) in a
 * fresh private temp directory, which a killed process leaves behind.
 */
function socketFor(dir: string | undefined): { socketPath: string; removeSocket: () => void } {
  const inDataDir = dir ? join(dir, 'paylinks-pglite.sock') : undefined;
  if (inDataDir && Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH) {
    rmSync(inDataDir, { force: true });
    return { socketPath: inDataDir, removeSocket: () => rmSync(inDataDir, { force: true }) };
  }
  // mkdtemp makes it 0700.
  const socketDir = mkdtempSync(join(tmpdir(), 'paylinks-pglite-'));
  return {
    socketPath: join(socketDir, 'paylinks-pglite.sock'),
    removeSocket: () => rmSync(socketDir, { recursive: true, force: true }),
  };
}

function nextReply(worker: Worker): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`The PGlite thread stopped (exit code ${code})`));
    };
    const onMessage = (reply: WorkerReply) => {
      settle();
      resolve(reply);
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onMessage);
  });
}

/**
 * PGlite in a worker thread of its own (pglite-thread-worker.js), reached with postgres.js over the
 * PostgreSQL wire protocol on a unix socket, so the WASM engine runs its statements beside the event
 * loop instead of on it: the HTTP work and the SQL of concurrent requests overlap. One connection:
 * PGlite runs one statement at a time, and pglite-socket would interleave several connections'
 * messages. The socket has no password: only this user can enter the directory it sits in.
 * Should the thread die, its error ends the process, as a crash of PGlite on the main thread would.
 */
export async function openPgliteInWorker(options: PgliteEngineOptions): Promise<PgliteEngine> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
  ]);
  const { socketPath, removeSocket } = socketFor(options.dir);
  const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
  // The thread only serves PGlite. Node would run NODE_OPTIONS' --import preloads in it again (a test
  // server's TypeScript preload then fails there, without the main thread's loader), so it gets none.
  const { NODE_OPTIONS: _preloads, ...threadEnv } = process.env;
  const worker = new Worker(workerFile(), {
    env: threadEnv,
    workerData: { dataDir: options.dir, socketPath, migrations: options.migrations, loadDataDir },
    ...(loadDataDir ? { transferList: [loadDataDir] } : {}),
  });
  const stopWorker = once(async () => {
    const closed = nextReply(worker).catch(() => undefined);
    worker.postMessage({ type: 'close' });
    await closed;
    await worker.terminate();
    removeSocket();
  });
  try {
    const reply = await nextReply(worker);
    if (reply.type === 'failed') throw reply.error;
  } catch (error) {
    await worker.terminate();
    removeSocket();
    throw error;
  }
  const client = postgres({
    path: socketPath,
    user: 'postgres',
    database: 'postgres',
    max: 1,
    // The thread takes one connection at a time: a reconnect after a lifetime could race the old close.
    max_lifetime: null,
    onnotice: () => {},
    debug: (_connection, sql) => options.statements.report(sql),
  });
  const db: PaylinksDb = drizzle({ client, schema });
  return {
    db,
    close: async () => {
      try {
        await client.end({ timeout: 5 });
      } finally {
        await stopWorker();
      }
    },
  };
}
