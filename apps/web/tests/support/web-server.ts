import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface WebServer {
  baseUrl: string;
  /** The process `npm start` runs (serve.js): with several workers, their primary. */
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Settles when that process has ended, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface WebServerOptions {
  /** Its output goes to test-output/<logName>; a file of its own for each server that runs at once. */
  logName?: string;
}

const webDir = join(import.meta.dirname, '..', '..');
export const testOutputDir = join(webDir, 'test-output');

/**
 * The built product exactly as `npm start` runs it (serve.js → build/), on a free port with a fresh
 * embedded database (unless extraEnv names a DATABASE_URL). Its output goes to test-output/server.log.
 */
export async function startWebServer(
  extraEnv: Record<string, string> = {},
  options: WebServerOptions = {},
): Promise<WebServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'paylinks-web-'));
  await mkdir(testOutputDir, { recursive: true });
  const log = createWriteStream(join(testOutputDir, options.logName ?? 'server.log'));
  // A shared DATABASE_URL would collect every run's workspaces; each run gets its own PGlite.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['serve.js'], {
    cwd: webDir,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      PAYLINKS_DATA_DIR: dataDir,
      // Every journey file signs up a workspace of its own.
      PAYLINKS_OPEN_SIGNUP: 'true',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = async () => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(child, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pid: child.pid as number, output: () => output, exited, stop };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => done(new Error(`The web server was not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Paylinks is running at')) done();
    };
    const onExit = (code: number | null) =>
      done(new Error(`The web server exited (${code}) before it was ready:\n${output}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM (adapter-node drains, then the API closes its database), SIGKILL if that takes too long. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
