import { describe, expect, it } from 'vitest';
import { readFilters, withCursor, without } from './filters';

const url = (search: string) => new URL(`http://localhost/payments${search}`);

describe('the Payments section filters', () => {
  it('passes what the member typed to the API, dates as whole days with the last day included', () => {
    const { values, query } = readFilters(
      url('?status=completed&currency=eur&from=2026-11-02&to=2026-11-04&q=+piano+&minAmount='),
    );
    expect(values).toEqual({
      status: 'completed',
      currency: 'eur',
      from: '2026-11-02',
      to: '2026-11-04',
      q: 'piano',
    });
    expect(query).toEqual({
      status: 'completed',
      currency: 'EUR',
      from: '2026-11-02T00:00:00Z',
      to: '2026-11-05T00:00:00.000Z',
      q: 'piano',
    });
  });

  it('leaves a date it cannot read as typed, so the API names the field', () => {
    expect(readFilters(url('?from=yesterday')).query).toEqual({ from: 'yesterday' });
  });

  it('pages and removes a filter without losing the others', () => {
    const current = url('?status=processing&q=ada&cursor=abc');
    expect(withCursor(current, 'next')).toBe('/payments?status=processing&q=ada&cursor=next');
    expect(withCursor(current, null)).toBe('/payments?status=processing&q=ada');
    expect(without(current, 'q')).toBe('/payments?status=processing');
  });
});
