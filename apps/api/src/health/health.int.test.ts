import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.js';

describe('GET /api/health', () => {
  it('answers ok with the database driver and the migration level', async () => {
    const app = testApp(await openTestDatabase());
    try {
      const response = await app.request('/api/health');
      expect(response.status).toBe(200);
      const body: any = await response.json();
      expect(body.status).toBe('ok');
      expect(body.database.driver).toBe(testDriver());
      expect(body.database.migrations.applied).toBeGreaterThanOrEqual(1);
      expect(body.database.migrations.pending).toBe(0);
      expect(body.database.migrations.latest).toMatch(/^\d{4}_/);
    } finally {
      await app.close();
    }
  });

  it('answers 503 database_unavailable with Retry-After when the database does not answer', async () => {
    const app = testApp(await openTestDatabase());
    await app.close();
    const response = await app.request('/api/health');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({
      status: 'unavailable',
      code: 'database_unavailable',
      database: { driver: testDriver() },
    });
  });
});
