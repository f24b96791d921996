import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirectoryPermissionsError } from './data-dir-permissions';
import { defaultMigrationsFolder } from './migrations-folder';
import { openPglite } from './open-pglite';
import { testDriver } from './testing/index';

/** Every path under `dir` with its permission bits, e.g. ['base/1/1259', 0o600]. */
function modesUnder(dir: string): [string, number][] {
  const found: [string, number][] = [];
  const walk = (path: string, name: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      const relative = name ? `${name}/${entry.name}` : entry.name;
      found.push([relative, lstatSync(child).mode & 0o777]);
      if (entry.isDirectory()) walk(child, relative);
    }
  };
  walk(dir, '');
  return found;
}

const open = (dataDir: string) =>
  openPglite({ dataDir, migrate: true, migrationsFolder: defaultMigrationsFolder() });

describe.runIf(testDriver() === 'pglite')('the embedded data directory is private', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'paylinks-dir-modes-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a new directory is created 0700 with every file 0600, and opens again', async () => {
    const dataDir = join(work, 'fresh');
    const database = await open(dataDir);
    await database.db.execute(sql`create table probe (secret text)`);
    await database.db.execute(sql`insert into probe values ('session token')`);
    await database.close();

    expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    const modes = modesUnder(dataDir);
    expect(modes.length).toBeGreaterThan(100);
    const openToOthers = modes.filter(([, mode]) => (mode & 0o077) !== 0);
    expect(openToOthers).toEqual([]);
    const wal = modes.filter(([path]) => path.startsWith('pg_wal/0'));
    expect(wal.length).toBeGreaterThan(0);
    for (const [path, mode] of wal) expect(mode, path).toBe(0o600);

    const reopened = await open(dataDir);
    const rows = await reopened.db.execute(sql`select secret from probe`);
    await reopened.close();
    expect(JSON.stringify(rows)).toContain('session token');
  });

  it.each([
    ['0755', 0o755],
    ['0750', 0o750],
    ['0705', 0o705],
  ])('an existing directory at %s is refused, saying how to fix it, and left untouched', async (_, mode) => {
    const dataDir = join(work, `open-${mode.toString(8)}`);
    mkdirSync(dataDir);
    chmodSync(dataDir, mode);
    const opening = open(dataDir);
    await expect(opening).rejects.toBeInstanceOf(DataDirectoryPermissionsError);
    await expect(opening).rejects.toThrow(`chmod -R go-rwx ${dataDir}`);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(lstatSync(dataDir).mode & 0o777).toBe(mode);
  });

  it('a directory PGlite wrote before this rule opens once the suggested chmod has run', async () => {
    const dataDir = join(work, 'legacy');
    await (await open(dataDir)).close();
    chmodSync(dataDir, 0o755);
    await expect(open(dataDir)).rejects.toThrow(DataDirectoryPermissionsError);
    for (const [path, mode] of modesUnder(dataDir)) chmodSync(join(dataDir, path), mode & 0o700);
    chmodSync(dataDir, 0o700);
    await (await open(dataDir)).close();
  });
});
