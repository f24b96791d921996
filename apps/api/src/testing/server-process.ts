import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Real server processes for tests that kill, restart or race them. The bundle is built once per
// test run by build-server.global.ts (the api package's vitest globalSetup).

export const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  process: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM and wait for the exit (the server closes its database first). */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: nothing gets to clean up. */
  kill(): Promise<void>;
}

/**
 * Starts `node dist/server.js` with PORT=0 and resolves once it logs the port it bound. The env is
 * added to this process's own; a server that exits before it listens rejects with its output.
 */
export function startServerProcess(
  env: Record<string, string | undefined>,
  /** Flags for node itself, e.g. --trace-gc for a test that watches the heap. */
  nodeFlags: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeFlags, 'dist/server.js'], {
    cwd: apiDir,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitForExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`server exited ${code} before listening: ${output}`));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /"port":(\d+)/.exec(output)?.[1];
      if (!port) return;
      child.off('exit', onExit);
      resolve({
        process: child,
        port: Number(port),
        origin: `http://127.0.0.1:${port}`,
        output: () => output,
        stop: () => waitForExit('SIGTERM'),
        kill: () => waitForExit('SIGKILL'),
      });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', onExit);
  });
}
