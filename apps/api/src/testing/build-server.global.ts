import { execFileSync } from 'node:child_process';
import { apiDir } from './server-process.js';

/** vitest globalSetup: bundles dist/server.js once, before any test file starts a server process. */
export default function setup(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: apiDir, stdio: 'inherit' });
}
