import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Not sources, though written to while `npm test` runs: installed packages; .turbo/, where turbo
// writes each task's log; src/lib/paraglide, compiled from messages/ again by every typecheck. Seen as
// newer than the build, any of them made the web tests build the product a second time.
const generatedParaglide = join('src', 'lib', 'paraglide');
const skipped = (path: string, entry: string) =>
  entry === 'node_modules' || entry.startsWith('.') || join(path, entry).endsWith(generatedParaglide);

/** Newest modification time of any file under the given paths (0 when none exist). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (!skipped(path, entry)) visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return newest;
}

/**
 * Runs `pnpm build` in a package when its output is missing or older than its sources. Under
 * `npm test` turbo has just built both packages and this finds nothing to do; a direct `vitest run`
 * after an edit gets a fresh build instead of testing yesterday's.
 */
export function buildIfStale(packageDir: string, output: string, sources: string[]): void {
  const outputTime = existsSync(join(packageDir, output)) ? statSync(join(packageDir, output)).mtimeMs : 0;
  if (outputTime >= newestMtime(sources.map((source) => join(packageDir, source)))) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: packageDir, stdio: 'inherit' });
}

const webDir = join(import.meta.dirname, '..', '..');

/** The API's embedded build, then the web app's build on top of it: what `npm start` runs. */
export function buildProductIfStale(): void {
  buildIfStale(join(webDir, '..', 'api'), 'dist/embedded.js', [
    'src',
    'build.mjs',
    '../../packages',
    '../../plugins',
  ]);
  buildIfStale(webDir, 'build/index.js', [
    'src',
    'static',
    'messages',
    'project.inlang',
    'svelte.config.js',
    'vite.config.ts',
    '../api/dist',
  ]);
}
