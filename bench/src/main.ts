// `pnpm bench`: the product's hot paths against bare baselines, on PGlite and on PostgreSQL, in one
// run. It reports and never fails on a figure; README.md ("pnpm bench") says how to read it.
//   --quick           shorter runs and a smaller history, for a look in about two minutes
//   --only=pglite     or --only=postgres: one driver
// DATABASE_URL: PostgreSQL runs in a fresh database on that server; unset, on a throwaway cluster.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { type DatabaseTarget, type Driver, pgliteTarget, postgresTarget } from './database-target';
import { runDriver } from './driver-run';
import { renderReport } from './report';
import type { BenchReport } from './results';
import type { SeedSizes } from './seed';
import { killServers } from './server-process';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.PAYLINKS_BENCH_QUICK === '1';
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) as Driver | undefined;
const drivers: Driver[] = only ? [only] : ['pglite', 'postgres'];

const settings = quick
  ? { durationSeconds: 2, warmupSeconds: 0.5, connections: 10 }
  : { durationSeconds: 5, warmupSeconds: 0.5, connections: 10 };
// Enough fixtures for the fastest rate seen here with room to spare; a run that still runs out
// shows non-2xx answers in its row.
const sizes: SeedSizes = quick
  ? { clickLinks: 1000, checkouts: 2000, webhooks: 3000, sectionPayments: 100_000 }
  : { clickLinks: 3000, checkouts: 5000, webhooks: 8000, sectionPayments: 1_000_000 };

const startedAt = new Date().toISOString();
const resultsDir = join(import.meta.dirname, '..', 'results');
const runDir = join(resultsDir, startedAt.replace(/[:.]/g, '-'));
mkdirSync(runDir, { recursive: true });
const log = (line: string) => console.log(line);

/** The commit measured, and whether the work tree had changes on top (other engineers' edits). */
function revision(): string {
  try {
    const git = (...gitArgs: string[]) =>
      execFileSync('git', gitArgs, { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const report: BenchReport = {
  startedAt,
  revision: revision(),
  quick,
  machine: { cpus: availableParallelism(), node: process.version, loadAverage: loadavg() },
  settings,
  drivers: [],
};

// Ctrl-C mid-run still ends the servers and removes the database (a throwaway cluster would
// otherwise keep running).
let current: DatabaseTarget | undefined;
process.once('SIGINT', () => {
  killServers();
  void (current?.remove() ?? Promise.resolve()).finally(() => process.exit(130));
});

for (const driver of drivers) {
  log(`\n${driver}:`);
  current = driver === 'pglite' ? pgliteTarget(runDir) : await postgresTarget(process.env.DATABASE_URL);
  try {
    report.drivers.push(await runDriver(current, { runDir, sizes, settings, log }));
  } finally {
    await current.remove();
    current = undefined;
  }
}

const table = renderReport(report);
console.log(`\n${table}\n`);
const jsonFile = join(resultsDir, `${startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.txt'), `${table}\n`);
// The run folder held the databases and logs; the logs stay for a failed run only.
rmSync(join(runDir, 'page.html'), { force: true });
console.log(`Figures: ${jsonFile} (server logs in ${runDir})`);
