import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

// Dependency-free on purpose: the cross-process test compiles this file alone and runs it in a
// second Node process.

/** PGlite takes no lock of its own; two processes on one directory silently lose rows. */
export const LOCK_FILE_NAME = 'paylinks.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

export class DataDirectoryLockedError extends Error {
  readonly code = 'DATA_DIRECTORY_LOCKED';
  readonly dataDir: string;
  readonly lockFile: string;
  readonly ownerPid: number;

  constructor(dataDir: string, lockFile: string, owner: LockOwner) {
    const where = owner.hostname === hostname() ? '' : ` on host ${owner.hostname}`;
    super(
      `The data directory ${dataDir} is in use by process ${owner.pid}${where} (since ${owner.acquiredAt}). ` +
        'Only one process may use an embedded database at a time: stop that process, or point this one ' +
        `at another directory (PAYLINKS_DATA_DIR), or use PostgreSQL (DATABASE_URL) to run several. ` +
        `If you are sure no such process is running, delete ${lockFile}.`,
    );
    this.name = 'DataDirectoryLockedError';
    this.dataDir = dataDir;
    this.lockFile = lockFile;
    this.ownerPid = owner.pid;
  }
}

export interface DataDirLock {
  readonly lockFile: string;
  /** Idempotent; only removes the file while it still names this process. */
  release(): void;
}

// Locks this process holds, so that a second open in the same process is refused too, and a
// lock file carrying our pid that we did not write (pid reused after a restart) counts as stale.
const heldByThisProcess = new Set<string>();

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const lockFile = join(dir, LOCK_FILE_NAME);
  const mine = `${JSON.stringify({ pid: process.pid, hostname: hostname(), acquiredAt: new Date().toISOString() })}\n`;

  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile, mine)) return holdLock(lockFile, mine);
    const existing = readLock(lockFile);
    if (existing === undefined) continue; // removed between our create and read: try again
    if (!isStale(existing.owner, lockFile)) throw new DataDirectoryLockedError(dir, lockFile, existing.owner);
    takeOverStale(lockFile, existing.raw);
  }
  throw new Error(`Could not take the lock ${lockFile}: it keeps changing hands.`);
}

function tryCreate(lockFile: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(lockFile: string): { raw: string; owner: LockOwner } | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number') {
      return {
        raw,
        owner: {
          pid: parsed.pid,
          hostname: parsed.hostname ?? hostname(),
          acquiredAt: parsed.acquiredAt ?? 'unknown',
        },
      };
    }
  } catch {
    // A writer that died between create and write leaves an empty or torn file.
  }
  return { raw, owner: { pid: 0, hostname: hostname(), acquiredAt: 'unknown' } };
}

function isStale(owner: LockOwner, lockFile: string): boolean {
  // A pid on another machine (shared volume) cannot be checked from here, so it is respected.
  if (owner.hostname !== hostname()) return false;
  if (owner.pid <= 0) return true;
  if (owner.pid === process.pid) return !heldByThisProcess.has(lockFile);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it is alive.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Rename rather than unlink: of two processes racing for the same stale lock only one rename
 * succeeds, and if what we moved away is not the stale lock we saw, we put it back.
 */
function takeOverStale(lockFile: string, staleContent: string): void {
  const aside = `${lockFile}.stale-${process.pid}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readFileSync(aside, 'utf8') !== staleContent) {
    try {
      renameSync(aside, lockFile);
    } catch {
      // Losing a freshly written lock here needs three processes racing on a crashed directory.
    }
    return;
  }
  unlinkSync(aside);
}

function holdLock(lockFile: string, content: string): DataDirLock {
  heldByThisProcess.add(lockFile);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldByThisProcess.delete(lockFile);
    process.removeListener('exit', release);
    try {
      if (readFileSync(lockFile, 'utf8') === content) unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // 'exit' covers normal ends and process.exit(); a SIGKILL leaves the file, and the dead pid
  // in it lets the next start take it over.
  process.on('exit', release);
  return { lockFile, release };
}
