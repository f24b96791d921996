import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinDir } from './postgres-binaries';

export interface ThrowawayCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres, trust auth. */
  adminUrl: string;
  /** Shuts the server down (as an outage would) and keeps its data, for resume(). */
  pause(): Promise<void>;
  /** Starts the paused server again on the same port, with its data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** PostgreSQL refuses to run as root; as root we run its tools as the `postgres` OS user. */
function runAsServerUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, and PostgreSQL will not start as root: create a `postgres` OS user ' +
        '(the Debian postgresql package does), run the tests as another user, or set DATABASE_URL.',
    );
  }
}

/**
 * A private cluster in a temp dir, tuned for tests: durability off (a crash loses only test data),
 * trust auth on 127.0.0.1, sockets in the temp dir so nothing system-wide is touched.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const binDir = findPostgresBinDir();
  const serverUser = runAsServerUser();
  const root = mkdtempSync(join(tmpdir(), 'paylinks-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  if (serverUser) chownSync(root, serverUser.uid, serverUser.gid);

  const run = (tool: string, args: string[]) => {
    const [command, finalArgs] = serverUser
      ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]]
      : [join(binDir, tool), args];
    return execFileSync(command, finalArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };

  try {
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    const start = () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', serverOptions, 'start']);
      } catch (error) {
        const log = safeRead(logFile);
        throw new Error(`pg_ctl start failed (${binDir}): ${(error as Error).message}\n${log}`);
      }
    };
    start();
    let running = true;
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async pause() {
        // Fast mode: open sessions are told 57P01 and closed, as when an operator stops the server.
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        running = false;
      },
      async resume() {
        start();
        running = true;
      },
      async stop() {
        try {
          // A test that failed mid-outage leaves it paused: there is nothing to stop, only to remove.
          if (running) run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
