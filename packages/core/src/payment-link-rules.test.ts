import { describe, expect, it } from 'vitest';
import {
  isPayable,
  type LinkFacts,
  linkOrigins,
  linkState,
  parseLinkAmount,
  parseLinkOrigin,
  shouldRemoveLinkAfterPayment,
} from './payment-link-rules.js';
import { paymentStatuses } from './payment-status.js';

const now = new Date('2025-06-01T12:00:00Z');
const past = new Date('2025-05-01T00:00:00Z');
const future = new Date('2025-07-01T00:00:00Z');
const link = (over: Partial<LinkFacts>): LinkFacts => ({
  origin: 'deal',
  deletedAt: null,
  expiresAt: future,
  hasSuccessfulPayment: false,
  ...over,
});

describe('linkState', () => {
  it.each([
    [{}, 'active'],
    [{ expiresAt: null }, 'active'],
    [{ expiresAt: past }, 'expired'],
    [{ expiresAt: now }, 'expired'],
    [{ deletedAt: past }, 'deleted'],
    [{ deletedAt: past, hasSuccessfulPayment: true }, 'deleted'],
    [{ hasSuccessfulPayment: true }, 'paid'],
    [{ hasSuccessfulPayment: true, expiresAt: past }, 'paid'],
    [{ origin: 'contact', hasSuccessfulPayment: true }, 'active'],
    [{ origin: 'contact', hasSuccessfulPayment: true, expiresAt: past }, 'expired'],
    [{ origin: 'contact', deletedAt: past }, 'deleted'],
  ] as const)('%o is %s', (over, state) => {
    expect(linkState(link(over), now)).toBe(state);
    expect(isPayable(link(over), now)).toBe(state === 'active');
  });
});

describe('shouldRemoveLinkAfterPayment', () => {
  it('removes deal links after a success only; contact links stay', () => {
    const removed = linkOrigins.flatMap((origin) =>
      paymentStatuses.filter((s) => shouldRemoveLinkAfterPayment(origin, s)).map((s) => `${origin}:${s}`),
    );
    expect(removed).toEqual(['deal:complete', 'deal:confirmed_by_team_member']);
  });
});

describe('parseLinkOrigin', () => {
  it('accepts the two origins and refuses others', () => {
    expect(parseLinkOrigin('deal')).toEqual({ ok: true, value: 'deal' });
    expect(parseLinkOrigin('contact')).toEqual({ ok: true, value: 'contact' });
    expect(parseLinkOrigin('Deal')).toMatchObject({ ok: false, error: { code: 'unknown_link_origin' } });
  });
});

describe('parseLinkAmount', () => {
  it('refuses zero and passes other parse errors through', () => {
    expect(parseLinkAmount('0.00', 'EUR')).toMatchObject({ ok: false, error: { code: 'zero_amount' } });
    expect(parseLinkAmount('-1', 'EUR')).toMatchObject({ ok: false, error: { code: 'negative_amount' } });
    expect(parseLinkAmount('0.01', 'EUR')).toEqual({ ok: true, value: { minor: 1n, currency: 'EUR' } });
  });
});
