import { MAX_MINOR_UNITS, supportedCurrencies } from '@paylinks/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSandboxAmount, toSandboxAmount } from './sandbox-money.js';

describe('sandbox wire amounts', () => {
  it.each([
    ['JPY', 1050n, '1050'],
    ['EUR', 1050n, '10.50'],
    ['EUR', 5n, '0.05'],
    ['KWD', 1050n, '1.050'],
    ['KWD', 7n, '0.007'],
  ] as const)('%s %i minor units travel as "%s" and come back', (currency, minor, wire) => {
    expect(toSandboxAmount({ minor, currency })).toEqual({ amount: wire, currency });
    expect(fromSandboxAmount({ amount: wire, currency })).toEqual({ minor, currency });
  });

  it.each([
    ['EUR', '10.5'],
    ['EUR', '10'],
    ['EUR', '10.500'],
    ['JPY', '1050.00'],
    ['KWD', '1.05'],
    ['EUR', '-1.00'],
    ['EUR', '1e3'],
    ['EUR', ' 1.00'],
    ['XXY', '1.00'],
    ['EUR', '9'.repeat(40)],
    ['EUR', '90071992547409.92'],
  ])('refuses %s "%s"', (currency, amount) => {
    expect(fromSandboxAmount({ amount, currency })).toBeUndefined();
  });

  it('round-trips any amount in any currency', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_MINOR_UNITS }),
        fc.constantFrom(...supportedCurrencies()),
        (minor, currency) => {
          expect(fromSandboxAmount(toSandboxAmount({ minor, currency }))).toEqual({ minor, currency });
        },
      ),
    );
  });
});
