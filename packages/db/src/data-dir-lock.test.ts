import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirectoryLockedError, LOCK_FILE_NAME } from './data-dir-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paylinks-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeLock = (pid: number, host = hostname()) =>
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, hostname: host, acquiredAt: 'then' }));

describe('data directory lock (this process)', () => {
  it('writes our pid, refuses a second holder in the same process, and removes the file on release', () => {
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.lockFile, 'utf8')).pid).toBe(process.pid);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirectoryLockedError);
    lock.release();
    lock.release();
    expect(existsSync(lock.lockFile)).toBe(false);
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock whose process is dead, or that carries our own pid from a previous life', () => {
    writeLock(2 ** 22 + 12_345); // above pid_max on Linux: never alive
    acquireDataDirLock(dir).release();
    writeLock(process.pid);
    acquireDataDirLock(dir).release();
    writeFileSync(join(dir, LOCK_FILE_NAME), '');
    acquireDataDirLock(dir).release();
  });

  it('respects a live process and says which directory, which pid and what to do', () => {
    writeLock(process.ppid);
    const error = (() => {
      try {
        acquireDataDirLock(dir);
      } catch (caught) {
        return caught as DataDirectoryLockedError;
      }
    })();
    expect(error).toBeInstanceOf(DataDirectoryLockedError);
    expect(error!.code).toBe('DATA_DIRECTORY_LOCKED');
    expect(error!.ownerPid).toBe(process.ppid);
    expect(error!.message).toContain(dir);
    expect(error!.message).toContain(String(process.ppid));
    expect(error!.message).toMatch(/stop that process/);
  });

  it('respects a lock taken on another host, whose pid it cannot check', () => {
    writeLock(2 ** 22 + 12_345, 'some-other-host');
    expect(() => acquireDataDirLock(dir)).toThrow(/on host some-other-host/);
  });
});
