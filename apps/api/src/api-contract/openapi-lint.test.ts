import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { describeApi } from '../embedded.js';

const apiDir = join(import.meta.dirname, '..', '..');

it("the OpenAPI document passes the linter's recommended rules (redocly lint)", async () => {
  // A fixed place: .redocly.lint-ignore.yaml names its entries by this path.
  const dir = join(apiDir, 'node_modules', '.cache', 'openapi-lint');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(await describeApi(), null, 2));
  const lint = await promisify(execFile)(
    join(apiDir, 'node_modules', '.bin', 'redocly'),
    ['lint', '--config', join(apiDir, 'redocly.yaml'), '--format', 'stylish', file],
    {
      cwd: apiDir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  ).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    stderr: 'failed',
  }));
  // Warnings count too: "recommended" makes some rules warnings, and they are the ones a client generator trips on.
  const problems = lint.stdout.split('\n').filter((line) => /^\s*\d+:\d+\s+(error|warning)\s/.test(line));
  expect(problems).toEqual([]);
  expect(lint.stderr).not.toBe('failed');
}, 60_000);
