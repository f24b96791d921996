import { createHash } from 'node:crypto';
import { linkSync, realpathSync, renameSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Dependency-free on purpose: the cross-process test compiles this file alone and runs it in a
// second Node process.

/**
 * PGlite takes no lock of its own; two processes on one directory silently lose rows. The lock is
 * a UNIX socket listening in the data directory: the kernel closes it when its process dies, however
 * it dies, so a killed holder never blocks the next start and a reused pid means nothing.
 * A socket file that refuses connections is what a dead holder (or an old pid file) left behind.
 */
export const LOCK_FILE_NAME = 'paylinks.lock';

// sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
const MAX_SOCKET_PATH_BYTES = 103;
// How long a holder has to say who it is; a busy event loop (a long migration) may not answer.
const OWNER_REPLY_TIMEOUT_MS = 2000;
// A socket between bind() and listen() refuses connections too; a dead one still refuses after this.
const STALE_RECHECK_MS = 100;

interface LockOwner {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

export class DataDirectoryLockedError extends Error {
  readonly code = 'DATA_DIRECTORY_LOCKED';
  readonly dataDir: string;
  readonly lockFile: string;
  /** Undefined when the holder did not answer in time (its event loop was busy). */
  readonly ownerPid: number | undefined;

  constructor(dataDir: string, lockFile: string, owner: LockOwner | undefined) {
    const who = owner
      ? `process ${owner.pid}${owner.hostname === hostname() ? '' : ` on host ${owner.hostname}`} (since ${owner.acquiredAt})`
      : 'another process';
    super(
      `The data directory ${dataDir} is in use by ${who}. ` +
        'Only one process may use an embedded database at a time: stop that process, or point this one ' +
        'at another directory (PAYLINKS_DATA_DIR), or use PostgreSQL (DATABASE_URL) to run several. ' +
        'The lock is released by the system when that process ends, however it ends.',
    );
    this.name = 'DataDirectoryLockedError';
    this.dataDir = dataDir;
    this.lockFile = lockFile;
    this.ownerPid = owner?.pid;
  }
}

export interface DataDirLock {
  /** The socket that is the lock. */
  readonly lockFile: string;
  /** Idempotent. */
  release(): Promise<void>;
}

/** Where the lock socket lives: in the directory, or in the temp directory when that path is too long. */
export function lockSocketPath(dataDir: string): string {
  const real = realpathSync(resolve(dataDir));
  const inside = join(real, LOCK_FILE_NAME);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH_BYTES) return inside;
  const digest = createHash('sha256').update(real).digest('hex').slice(0, 24);
  return join(tmpdir(), `paylinks-${digest}.lock`);
}

/** Takes the directory's lock or throws DataDirectoryLockedError naming the holder. */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const socketPath = lockSocketPath(dir);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), acquiredAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 5; attempt++) {
    // bind() is atomic: of two starters only one creates the socket, the other gets EADDRINUSE.
    const server = await listen(socketPath, owner);
    if (server) {
      // With the socket in the temp directory, a pid file from an older version may still sit here.
      if (socketPath !== join(realpathSync(dir), LOCK_FILE_NAME)) removeLeftover(join(dir, LOCK_FILE_NAME));
      return holdLock(socketPath, server);
    }
    const probe = await probeHolder(socketPath);
    switch (probe.kind) {
      case 'held':
        throw new DataDirectoryLockedError(dir, socketPath, probe.owner);
      case 'gone':
        continue;
      case 'refused':
        await removeStale(dir, socketPath);
        continue;
      default:
        return unreachable(probe);
    }
  }
  throw new Error(`Could not take the lock ${socketPath}: it keeps changing hands.`);
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

/** The listening server, or undefined when something already sits at the path. */
function listen(socketPath: string, owner: LockOwner): Promise<Server | undefined> {
  const server = createServer((socket) => {
    // Whoever asks learns who holds the directory, for the refusal message.
    socket.on('error', () => {});
    socket.end(`${JSON.stringify(owner)}\n`);
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolveListen(undefined);
      else reject(error);
    });
    server.listen(socketPath, () => {
      // The lock must not keep the process alive on its own.
      server.unref();
      resolveListen(server);
    });
  });
}

type Probe = { kind: 'held'; owner: LockOwner | undefined } | { kind: 'refused' } | { kind: 'gone' };

function probeHolder(socketPath: string): Promise<Probe> {
  return new Promise((resolveProbe) => {
    let reply = '';
    let connected = false;
    const socket = connect(socketPath);
    const done = (probe: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolveProbe(probe);
    };
    const timer = setTimeout(() => done({ kind: 'held', owner: undefined }), OWNER_REPLY_TIMEOUT_MS);
    socket.on('connect', () => {
      connected = true;
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\n')) done({ kind: 'held', owner: parseOwner(reply) });
    });
    socket.on('end', () => done({ kind: 'held', owner: parseOwner(reply) }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) return done({ kind: 'held', owner: parseOwner(reply) });
      if (error.code === 'ENOENT') return done({ kind: 'gone' });
      // ECONNREFUSED: a socket nobody listens on, or a plain file (an old pid file) at the path.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') return done({ kind: 'refused' });
      done({ kind: 'held', owner: undefined });
    });
  });
}

function parseOwner(reply: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(reply.split('\n', 1)[0]!) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, acquiredAt: String(parsed.acquiredAt) };
    }
  } catch {
    // A holder that closed without answering: still a holder.
  }
  return undefined;
}

/**
 * Moves the dead socket aside rather than unlinking it in place: if another starter replaced it
 * with a live one in the meantime, what we moved is that live socket, and it goes back (link()
 * refuses to overwrite, so a third starter's socket is never clobbered).
 */
async function removeStale(dir: string, socketPath: string): Promise<void> {
  const aside = `${socketPath}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(socketPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let probe = await probeHolder(aside);
  if (probe.kind === 'refused') {
    await new Promise((wait) => setTimeout(wait, STALE_RECHECK_MS));
    probe = await probeHolder(aside);
  }
  if (probe.kind === 'held') {
    try {
      linkSync(aside, socketPath);
    } catch (error) {
      // EEXIST: a third starter bound meanwhile and holds the path now; either way it is held.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      removeLeftover(aside);
    }
    throw new DataDirectoryLockedError(dir, socketPath, probe.owner);
  }
  removeLeftover(aside);
}

function removeLeftover(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function holdLock(lockFile: string, server: Server): DataDirLock {
  let closed: Promise<void> | undefined;
  const release = () => {
    // Closing the server also removes the socket file; a holder that dies without closing
    // leaves the file, and the next start finds that it refuses connections.
    closed ??= new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    return closed;
  };
  return { lockFile, release };
}
