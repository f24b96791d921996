import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openTestDatabase } from '@paylinks/db/testing';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestApp, testApp, testPublicUrl } from '../testing/test-app.js';

const apiDir = join(import.meta.dirname, '..', '..');
const journeyFile = join(import.meta.dirname, 'generated-client', 'journey.ts');
// Imported by path at run time: the journey's types exist only once the test has generated them,
// so the package's own typecheck leaves it out (tsconfig.json) and this import must not pull it in.
type WalkJourney = (
  options: { baseUrl: string; fetch: (request: Request) => Promise<Response> },
  email: string,
) => Promise<{ linkUrl: string; paymentStatus: string; paymentsSeen: number }>;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let app: TestApp;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
});
afterAll(() => app.close());

it('a client generated from the document (openapi-typescript + openapi-fetch) typechecks and walks the main journey', async () => {
  // Inside apps/api, so the copy resolves openapi-fetch and TypeScript's lib from this package.
  await mkdir(join(apiDir, 'node_modules', '.cache'), { recursive: true });
  const dir = await mkdtemp(join(apiDir, 'node_modules', '.cache', 'generated-client-'));
  try {
    const document = (await (await app.request('/api/openapi.json')).json()) as Parameters<
      typeof openapiTS
    >[0];
    // Request fields with a default (a link's type, its validity) stay optional for the caller.
    await writeFile(
      join(dir, 'paylinks-api.d.ts'),
      astToString(await openapiTS(document, { defaultNonNullable: false })),
    );
    await copyFile(journeyFile, join(dir, 'journey.ts'));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(apiDir, '..', '..', 'tsconfig.base.json'),
        compilerOptions: { noEmit: true },
        include: ['journey.ts', 'paylinks-api.d.ts'],
      }),
    );
    const typecheck = await promisify(execFile)(process.execPath, [tsc, '-p', dir]).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? 'tsc failed' }),
    );
    expect(typecheck.stdout).toBe('');

    const { walkJourney } = (await import(journeyFile)) as { walkJourney: WalkJourney };
    const result = await walkJourney(
      { baseUrl: testPublicUrl, fetch: async (request) => app.app.request(request) },
      `journey-${Date.now()}@example.com`,
    );
    expect(result.linkUrl).toMatch(/^http:\/\/localhost:3000\/pay\//);
    expect(result.paymentStatus).toBe('complete');
    expect(result.paymentsSeen).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
