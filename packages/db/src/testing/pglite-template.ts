import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginMigrations } from '../database';
import { openPglite } from '../open-pglite';

/**
 * A fresh PGlite costs ~3-5 s (initdb in WASM) plus the migration; loading a dump of an
 * already-migrated one costs under a second. The dump is cached in this process and on disk,
 * keyed by the migrations and the PGlite version, so only the first test file of a run (or of a
 * schema change) pays the full price.
 */
const CACHE_PREFIX = 'paylinks-pglite-template-';
let template: Promise<Blob> | undefined;

export function pgliteTemplate(
  migrationsFolder: string,
  pluginMigrations: readonly PluginMigrations[] = [],
): Promise<Blob> {
  template ??= loadOrBuild(migrationsFolder, pluginMigrations);
  return template;
}

async function loadOrBuild(
  migrationsFolder: string,
  pluginMigrations: readonly PluginMigrations[],
): Promise<Blob> {
  const folders = [migrationsFolder, ...pluginMigrations.map((plugin) => plugin.folder)];
  const cacheFile = join(tmpdir(), `${CACHE_PREFIX}${cacheKey(folders)}.tar`);
  try {
    return new Blob([readFileSync(cacheFile)]);
  } catch {
    // Not cached yet: build it below.
  }
  const database = await openPglite({
    dataDir: 'memory://',
    migrate: true,
    migrationsFolder,
    pluginMigrations,
  });
  const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  writeCache(cacheFile, Buffer.from(await dump.arrayBuffer()));
  return dump;
}

function cacheKey(migrationsFolders: readonly string[]): string {
  const hash = createHash('sha256');
  // The package does not export its package.json; its resolved path (version in it under pnpm)
  // plus the entry file's size is enough to notice an upgrade.
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  hash.update(pgliteEntry).update(String(statSync(pgliteEntry).size));
  for (const migrationsFolder of migrationsFolders) {
    hash.update(migrationsFolder).update(readFileSync(join(migrationsFolder, 'meta', '_journal.json')));
    for (const file of readdirSync(migrationsFolder)
      .filter((name) => name.endsWith('.sql'))
      .sort()) {
      hash.update(file).update(readFileSync(join(migrationsFolder, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function writeCache(cacheFile: string, bytes: Buffer): void {
  // Write-then-rename so a parallel worker never reads half a file; dumps of older schemas go.
  const partial = `${cacheFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith(CACHE_PREFIX) && name.endsWith('.tar') && join(tmpdir(), name) !== cacheFile) {
        rmSync(join(tmpdir(), name), { force: true });
      }
    }
    writeFileSync(partial, bytes);
    renameSync(partial, cacheFile);
  } catch {
    rmSync(partial, { force: true });
  }
}
