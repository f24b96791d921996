import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { DataDirectoryLockedError, LOCK_FILE_NAME } from './data-dir-lock';
import { defaultMigrationsFolder } from './migrations-folder';
import { openPglite } from './open-pglite';
import { workspaces } from './schema/index';
import { testDriver } from './testing/index';
import { pgliteTemplate } from './testing/pglite-template';

/*
 * The second process runs the real lock code: data-dir-lock.ts is dependency-free, so it is
 * transpiled as-is to plain JavaScript and imported by a small child script under plain `node`.
 * `try` reports whether it got the lock; `hold` keeps it until its stdin closes.
 */
const CHILD = `
import { acquireDataDirLock } from './data-dir-lock.mjs';
const [mode, dir] = process.argv.slice(2);
try {
  const lock = await acquireDataDirLock(dir);
  if (mode === 'try') { await lock.release(); console.log(JSON.stringify({ ok: true })); }
  else { console.log(JSON.stringify({ held: true })); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); }
} catch (error) {
  console.log(JSON.stringify({ ok: false, name: error.name, ownerPid: error.ownerPid, message: error.message }));
}
`;

let work: string;
let dataDir: string;
let childScript: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'paylinks-lock-int-'));
  dataDir = join(work, 'data');
  const source = readFileSync(fileURLToPath(new URL('./data-dir-lock.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(join(work, 'data-dir-lock.mjs'), outputText);
  childScript = join(work, 'child.mjs');
  writeFileSync(childScript, CHILD);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function startChild(mode: 'try' | 'hold'): {
  child: ChildProcess;
  firstLine: Promise<Record<string, unknown>>;
} {
  const child = spawn(process.execPath, [childScript, mode, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before answering`)));
  });
  return { child, firstLine };
}

async function tryInChild() {
  const { child, firstLine } = startChild('try');
  const answer = await firstLine;
  await once(child, 'exit');
  return answer;
}

async function workspaceCount(database: Awaited<ReturnType<typeof openDatabase>>) {
  const [row] = await database.db.select({ n: count() }).from(workspaces);
  return row!.n;
}

// The lock guards PGlite's data directory; PostgreSQL has its own, so this runs on pglite only.
describe.runIf(testDriver() === 'pglite')('data directory lock across processes', () => {
  it('refuses a second process while the first keeps working, and frees the directory on close', async () => {
    // Started from the migrated test template to skip initdb; the lock is taken the same way.
    const first = await openPglite({
      dataDir,
      migrate: true,
      migrationsFolder: defaultMigrationsFolder(),
      loadDataDir: await pgliteTemplate(defaultMigrationsFolder()),
    });
    await first.db.insert(workspaces).values({ name: 'before', slug: 'before' });

    const refused = await tryInChild();
    expect(refused).toMatchObject({ ok: false, name: 'DataDirectoryLockedError', ownerPid: process.pid });
    expect(refused.message).toContain(dataDir);
    expect(refused.message).toContain(String(process.pid));

    await first.db.insert(workspaces).values({ name: 'after', slug: 'after' });
    expect(await workspaceCount(first)).toBe(2);
    await first.close();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);

    expect(await tryInChild()).toEqual({ ok: true });
  });

  it('refuses to open while another process holds it, and opens at once after that process is SIGKILLed', async () => {
    const { child, firstLine } = startChild('hold');
    expect(await firstLine).toEqual({ held: true });

    const error = await openDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataDirectoryLockedError);
    expect((error as DataDirectoryLockedError).ownerPid).toBe(child.pid);

    child.kill('SIGKILL');
    await once(child, 'exit');
    // No exit handler ran: the socket file stays behind, but nothing listens on it any more.
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(true);

    const reopened = await openDatabase({ dataDir });
    expect(await workspaceCount(reopened)).toBe(2);
    await reopened.close();
  });

  it('of several processes starting at once exactly one gets the directory', async () => {
    const starters = Array.from({ length: 4 }, () => startChild('hold'));
    const answers = await Promise.all(starters.map((s) => s.firstLine));
    const holders = starters.filter((_, i) => answers[i]!.held === true);
    expect(holders).toHaveLength(1);
    for (const answer of answers.filter((a) => a.held !== true)) {
      expect(answer).toMatchObject({
        ok: false,
        name: 'DataDirectoryLockedError',
        ownerPid: holders[0]!.child.pid,
      });
    }
    for (const { child } of starters) child.kill('SIGKILL');
    await Promise.all(
      starters.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)),
    );
    expect(await tryInChild()).toEqual({ ok: true });
  });

  it('a holder that exits without releasing does not block the next start', async () => {
    const { child, firstLine } = startChild('hold');
    expect(await firstLine).toEqual({ held: true });
    child.stdin!.end();
    await once(child, 'exit');
    expect(await tryInChild()).toEqual({ ok: true });
  });
});
