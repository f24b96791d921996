import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cpuMs, residentBytes } from './process-stats';

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** From spawning to the first 200 from the health path, in milliseconds. */
  coldStartMs: number;
  cpuMs(): number;
  residentBytes(): number;
  /** SQL statements sent so far by every counting process of the server (see countStatements). */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  port: number;
  healthPath: string;
  logFile: string;
}

const STATEMENT_LINE = 'statement count';

const running = new Set<ChildProcess>();

/** For an interrupted run: every server still running is ended at once. */
export function killServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Starts a server that answers SIGUSR2 with a `statement count` log line (the product with
 * PAYLINKS_COUNT_STATEMENTS=1, and the baseline). Each counting process announces itself with such
 * a line at start; only those are signalled, since SIGUSR2 ends a process without a handler.
 */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const started = performance.now();
  const child = spawn(options.command[0]!, options.command.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const counters = new Map<number, Counter>();
  const waiting = new Set<() => void>();
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log.write(chunk);
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) readCount(line, counters, waiting);
  });
  child.stderr.pipe(log);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );

  try {
    await waitForHealth(child, `${baseUrl}${options.healthPath}`, options.name, options.logFile);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  const coldStartMs = performance.now() - started;
  const pid = child.pid!;
  return {
    baseUrl,
    pid,
    coldStartMs,
    cpuMs: () => cpuMs(pid),
    residentBytes: () => residentBytes(pid),
    statements: () => askStatementCounts(counters, waiting, options.name),
    stop: async () => {
      await stopChild(child, exited);
      log.end();
    },
  };
}

interface Counter {
  statements: number;
  /** Lines seen from this process, so a signal's answer is told from an earlier one. */
  lines: number;
}

function readCount(line: string, counters: Map<number, Counter>, waiting: Set<() => void>) {
  if (!line.includes(STATEMENT_LINE)) return;
  try {
    const parsed = JSON.parse(line) as { message?: string; statements?: number; pid?: number };
    if (parsed.message !== STATEMENT_LINE || typeof parsed.statements !== 'number') return;
    const pid = parsed.pid ?? 0;
    counters.set(pid, { statements: parsed.statements, lines: (counters.get(pid)?.lines ?? 0) + 1 });
    for (const wake of waiting) wake();
  } catch {
    // Not a JSON log line.
  }
}

/** Signals every counting process, waits for each one's fresh total and adds them up. */
async function askStatementCounts(
  counters: Map<number, Counter>,
  waiting: Set<() => void>,
  name: string,
): Promise<number> {
  const pids = [...counters.keys()];
  if (pids.length === 0) throw new Error(`${name} announced no statement counter`);
  const linesBefore = new Map(pids.map((pid) => [pid, counters.get(pid)!.lines]));
  const answered = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pids.some((pid) => counters.get(pid)!.lines === linesBefore.get(pid))) return;
      clearTimeout(timer);
      waiting.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      waiting.delete(check);
      reject(new Error(`${name} did not answer SIGUSR2 with a statement count`));
    }, 5_000);
    waiting.add(check);
  });
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await answered;
  return pids.reduce((sum, pid) => sum + counters.get(pid)!.statements, 0);
}

async function waitForHealth(child: ChildProcess, url: string, name: string, logFile: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}); see ${logFile}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${name} answered no health check within 60 s; see ${logFile}`);
}

/** SIGTERM (the product drains and closes its database), SIGKILL if that takes too long. */
async function stopChild(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
