import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apiDir } from './server-process.js';

// What dist/server.js is bundled from: our sources and the workspace packages it inlines.
const sources = ['src', 'build.mjs', '../../packages', '../../plugins'];

/**
 * vitest globalSetup: bundles dist/server.js before any test file starts a server process, unless it
 * is newer than every source. Under `npm test` turbo's api#build has just made it (and the web app's
 * build and typecheck read dist/ meanwhile, so it must not be rewritten under them); both test
 * projects of one run share it; a direct `vitest run` after an edit gets a fresh bundle.
 */
export default function setup(): void {
  const bundle = join(apiDir, 'dist', 'server.js');
  const builtAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  if (builtAt > newestMtime(sources.map((source) => join(apiDir, source)))) return;
  execFileSync(process.execPath, ['build.mjs'], { cwd: apiDir, stdio: 'inherit' });
}

// Installed packages stay external; turbo writes its task logs into each package's .turbo/ meanwhile.
const skipped = (entry: string) => entry === 'node_modules' || entry === 'dist' || entry.startsWith('.');

/** Newest modification time of any file under the given paths. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else for (const entry of readdirSync(path)) if (!skipped(entry)) visit(join(path, entry));
  };
  for (const path of paths) visit(path);
  return newest;
}
