// The worker thread that owns PGlite when it runs off the main thread (open-pglite-thread.ts): it
// opens and migrates the data directory, then serves it over the PostgreSQL wire protocol on a unix
// socket in a private directory, and closes on request. Plain JavaScript, loaded by path, so it runs
// the same from the sources and from apps/api's bundle (which cannot inline a worker).
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const { dataDir, socketPath, migrations, loadDataDir } = workerData;

let db;
let server;
try {
  db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
  });
  const opened = drizzle({ client: db });
  for (const step of migrations) await migrate(opened, step);
  // One connection: pglite-socket interleaves the messages of several outside a transaction (an
  // unnamed statement of one could land between another's Parse and Execute), and PGlite runs one
  // statement at a time anyway.
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  await server.start();
  parentPort.postMessage({ type: 'listening' });
} catch (error) {
  await db?.close().catch(() => {});
  parentPort.postMessage({ type: 'failed', error });
}

parentPort.on('message', async (message) => {
  if (message?.type !== 'close') return;
  try {
    await server?.stop();
  } finally {
    await db?.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
  }
});
