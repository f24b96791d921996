import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Found through the package's own package.json rather than relative to this file, because
 * apps/api bundles this code into apps/api/dist where relative paths no longer lead here; the
 * bundle still resolves `@paylinks/db` through node_modules.
 */
export function defaultMigrationsFolder(): string {
  const packageJson = createRequire(import.meta.url).resolve('@paylinks/db/package.json');
  return join(dirname(packageJson), 'migrations');
}

export function resolveMigrationsFolder(explicit: string | undefined): string {
  const folder = explicit ?? defaultMigrationsFolder();
  if (!existsSync(join(folder, 'meta', '_journal.json'))) {
    throw new Error(
      `No drizzle migrations in ${folder} (meta/_journal.json is missing). ` +
        'Ship packages/db/migrations with the app, or pass migrationsFolder to openDatabase.',
    );
  }
  return folder;
}
