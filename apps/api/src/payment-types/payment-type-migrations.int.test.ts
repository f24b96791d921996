import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paymentTypeMigrations } from './installed-payment-types.js';

describe('payment-type migrations in test databases', () => {
  it('are the ones the app applies at start (vitest.config.ts lists them by hand)', () => {
    const configured = JSON.parse(process.env.PAYLINKS_TEST_PLUGIN_MIGRATIONS ?? '[]') as {
      folder: string;
      table: string;
    }[];
    const normalise = (list: { folder: string; table: string }[]) =>
      list.map(({ folder, table }) => ({ folder: realpathSync(folder), table }));
    expect(normalise(configured)).toEqual(normalise(paymentTypeMigrations()));
  });
});
