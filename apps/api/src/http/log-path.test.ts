import { describe, expect, it } from 'vitest';
import { loggedPath } from './log-path.js';

const token = 'q3Vx0mS1yZ8tQpW4aB7cDe';

describe('a logged path', () => {
  it.each([
    [`/api/pay/${token}`, '/api/pay/:token'],
    [`/api/pay/${token}/checkout`, '/api/pay/:token/checkout'],
    [`/api/pay/${token}/status`, '/api/pay/:token/status'],
    [`/pay/${token}`, '/pay/:token'],
    [`/pay/${token}/return`, '/pay/:token/return'],
    [`/api/invitations/accept/${token}`, '/api/invitations/accept/:token'],
    [`/invite/${token}`, '/invite/:token'],
  ])('%s carries no token', (path, logged) => {
    expect(loggedPath(path)).toBe(logged);
    expect(loggedPath(path)).not.toContain(token);
  });

  it('keeps every other path as it is', () => {
    for (const path of ['/api/contacts', '/api/payments/export.csv', '/api/invitations', '/payments', '/']) {
      expect(loggedPath(path)).toBe(path);
    }
  });
});
