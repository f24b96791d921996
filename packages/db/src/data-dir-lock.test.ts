import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirectoryLockedError,
  LOCK_FILE_NAME,
  lockSocketPath,
} from './data-dir-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paylinks-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePidFile = (pid: number, host = hostname()) =>
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, hostname: host, acquiredAt: 'then' }));

async function refusal(at: string): Promise<DataDirectoryLockedError> {
  const caught = await acquireDataDirLock(at).then(
    (lock) => lock.release().then(() => undefined),
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(DataDirectoryLockedError);
  return caught as DataDirectoryLockedError;
}

/** A socket file whose listener is gone, as a SIGKILLed holder leaves it. */
async function deadSocketAt(path: string) {
  const listening = join(dir, 'listening.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(listening, resolve));
  linkSync(listening, path);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('data directory lock (this process)', () => {
  it('refuses a second holder, names the directory, our pid and what to do, and frees it on release', async () => {
    const lock = await acquireDataDirLock(dir);
    const error = await refusal(dir);
    expect(error.code).toBe('DATA_DIRECTORY_LOCKED');
    expect(error.ownerPid).toBe(process.pid);
    expect(error.message).toContain(dir);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toMatch(/stop that process/);
    await lock.release();
    await lock.release();
    expect(existsSync(lock.lockFile)).toBe(false);
    await (await acquireDataDirLock(dir)).release();
  });

  it('of several simultaneous takers exactly one wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => acquireDataDirLock(dir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataDirectoryLockedError);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireDataDirLock>>>).value.release();
  });

  it('ignores a pid file from an older version, even one naming a live process', async () => {
    for (const pid of [process.pid, process.ppid, 1]) {
      writePidFile(pid);
      await (await acquireDataDirLock(dir)).release();
    }
    writeFileSync(join(dir, LOCK_FILE_NAME), '');
    await (await acquireDataDirLock(dir)).release();
  });

  it('takes over the socket a dead holder left behind', async () => {
    await deadSocketAt(join(dir, LOCK_FILE_NAME));
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(true);
    await (await acquireDataDirLock(dir)).release();
  });

  it('locks a directory whose path is too long for a socket through one in the temp directory', async () => {
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const lock = await acquireDataDirLock(deep);
    expect(lock.lockFile.startsWith(tmpdir())).toBe(true);
    expect(lockSocketPath(deep)).toBe(lock.lockFile);
    expect((await refusal(deep)).message).toContain(deep);
    await lock.release();
    await (await acquireDataDirLock(deep)).release();
  });
});
