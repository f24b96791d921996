import { openTestDatabase } from '@paylinks/db/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
});
afterAll(() => app.close());

describe('OpenAPI description', () => {
  it('is served without signing in and validates as OpenAPI 3.1', async () => {
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document: any = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes the team, health and problem answers', async () => {
    const document: any = await (await app.request('/api/openapi.json')).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/signup',
        '/api/auth/sign-in/email',
        '/api/me',
        '/api/members',
        '/api/api-keys',
      ]),
    );
    expect(document.components.schemas.Problem.properties).toHaveProperty('code');
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves a docs page that loads only our own assets', async () => {
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/api/docs/')).toBe(true);
      const response = await app.request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10);
    }
    expect((await app.request('/api/docs/..%2Fpackage.json')).status).toBe(404);
  });
});
