// The primary of `npm start` on PostgreSQL: it serves nothing itself. It forks the workers (serve.js
// again, in cluster mode they share the port), replaces one that dies, and stops them all on
// SIGTERM/SIGINT.
import cluster from 'node:cluster';

const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 30_000;
// A worker that served this long before dying was not crashing at start: the delay starts over.
const HEALTHY_AFTER_MS = 30_000;

const log = (line) => console.log(`  ${line}`);

/**
 * Starts one worker first, so it alone applies pending migrations and a broken setup (a wrong
 * DATABASE_URL, say) is reported once and ends `npm start` as a single process would; then the rest.
 * After that a worker that dies is replaced, after a delay that doubles while replacements keep dying
 * young, so a worker crashing at start does not spin the machine.
 */
export function runPrimary({ workers, onAllListening }) {
  let stopping = false;
  let everListening = false;
  let announced = false;
  let restartDelayMs = FIRST_RESTART_DELAY_MS;
  const pendingRestarts = new Set();
  const listeningSince = new Map();

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message) => {
      if (message?.paylinks !== 'listening') return;
      listeningSince.set(worker.id, Date.now());
      if (announced) log(`The new worker process (pid ${worker.process.pid}) is listening.`);
      if (!everListening) {
        everListening = true;
        for (let i = 1; i < workers; i++) fork();
      }
      if (!announced && listeningSince.size >= workers) {
        announced = true;
        onAllListening();
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const since = listeningSince.get(worker.id);
    listeningSince.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // The first worker said why (serve.js's "could not start"); retrying would only repeat it.
    if (!everListening) process.exit(code || 1);
    if (since !== undefined && Date.now() - since >= HEALTHY_AFTER_MS)
      restartDelayMs = FIRST_RESTART_DELAY_MS;
    const delay = restartDelayMs;
    restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    log(
      `A worker process (pid ${worker.process.pid}) stopped (${signal ?? `exit code ${code}`}); starting another in ${delay / 1000} s.`,
    );
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      fork();
    }, delay);
    pendingRestarts.add(timer);
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const timer of pendingRestarts) clearTimeout(timer);
    const running = Object.values(cluster.workers ?? {});
    if (running.length === 0) process.exit(0);
    // Each worker drains its requests and closes its database (adapter-node's shutdown), then exits.
    for (const worker of running) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  fork();
}
