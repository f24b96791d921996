import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NOT_FOUND_HELP =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found, so the "postgres" test project cannot run. ' +
  'Either install them (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`), ' +
  'or point PG_BIN_DIR at the directory holding initdb, ' +
  'or set DATABASE_URL to a PostgreSQL server where this user may CREATE DATABASE.';

function hasServerBinaries(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Debian installs each major version side by side; the newest wins. */
function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}

/** Looks in PG_BIN_DIR, `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin, then PATH. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN_DIR) {
    if (hasServerBinaries(env.PG_BIN_DIR)) return env.PG_BIN_DIR;
    throw new Error(`PG_BIN_DIR=${env.PG_BIN_DIR} has no initdb/pg_ctl. ${NOT_FOUND_HELP}`);
  }
  const candidates = [pgConfigBinDir(), ...debianBinDirs(), ...(env.PATH ?? '').split(delimiter)];
  const found = candidates.find((dir): dir is string => !!dir && hasServerBinaries(dir));
  if (!found) throw new Error(NOT_FOUND_HELP);
  return found;
}
