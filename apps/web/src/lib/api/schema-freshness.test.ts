import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const webDir = join(import.meta.dirname, '..', '..', '..');

it("schema.d.ts matches the API's current OpenAPI document (else: pnpm --filter @paylinks/web generate:api)", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'paylinks-schema-'));
  try {
    const fresh = join(dir, 'schema.d.ts');
    // The same command as `pnpm generate:api`, writing elsewhere: the API is read from its source.
    await promisify(execFile)(
      process.execPath,
      ['--conditions=paylinks-source', '--import', 'tsx', 'scripts/generate-api-schema.ts', fresh],
      { cwd: webDir },
    );
    const committed = (await readFile(join(webDir, 'src/lib/api/schema.d.ts'), 'utf8')).split('\n');
    const current = (await readFile(fresh, 'utf8')).split('\n');
    const line = current.findIndex((text, index) => text !== committed[index]);
    // The first line that differs, rather than a 4,000-line diff.
    expect(
      line === -1 && committed.length === current.length
        ? 'up to date'
        : `stale from line ${line + 1}: ${JSON.stringify(committed[line])} should be ${JSON.stringify(current[line])}`,
    ).toBe('up to date');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);
