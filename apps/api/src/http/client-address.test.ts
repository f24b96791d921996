import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, resolveClientAddress, type TrustProxy } from './client-address.js';

function trust(value: string): TrustProxy {
  const parsed = parseTrustProxy(value);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** What the rate limits would count for a request from `peer` carrying `forwardedFor`. */
async function keyOf(setting: string, peer: string | undefined, forwardedFor?: string) {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, trust(setting))));
  const response = await app.request(
    '/',
    { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } },
    peer === undefined ? undefined : { clientAddress: peer },
  );
  return response.text();
}

describe('client address', () => {
  it('without PAYLINKS_TRUST_PROXY is the peer, whatever X-Forwarded-For says', async () => {
    expect(await keyOf('', '198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
    expect(await keyOf('off', '198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
    expect(await keyOf('0', '198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
  });

  it('is unknown when there is no peer at all', async () => {
    expect(await keyOf('', undefined)).toBe('unknown');
  });

  it('with a hop count takes the Nth address from the right of X-Forwarded-For', async () => {
    expect(await keyOf('1', '10.0.0.2', 'spoofed, 203.0.113.9')).toBe('203.0.113.9');
    expect(await keyOf('2', '10.0.0.2', 'spoofed, 203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    // Fewer entries than hops: the leftmost one still came from one of our proxies.
    expect(await keyOf('3', '10.0.0.2', '203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    // No header: the request did not come through the proxy; count its sender.
    expect(await keyOf('1', '10.0.0.2')).toBe('10.0.0.2');
  });

  it('with a CIDR list skips trusted proxies from the right, and ignores the header from anyone else', async () => {
    const setting = '10.0.0.0/8, fd00::/8';
    expect(await keyOf(setting, '10.0.0.2', 'spoofed, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(await keyOf(setting, 'fd00::5', '203.0.113.9')).toBe('203.0.113.9');
    expect(await keyOf(setting, '198.51.100.7', '203.0.113.9')).toBe('198.51.100.7');
    // Every hop trusted: the leftmost is the closest thing to a client we have.
    expect(await keyOf(setting, '10.0.0.2', '10.9.9.9')).toBe('10.9.9.9');
    // A garbage entry was written by nobody we trust: the walk stops at the last real address.
    expect(await keyOf(setting, '10.0.0.2', '203.0.113.9, not-an-ip, 10.1.2.3')).toBe('10.1.2.3');
  });

  it('counts IPv6 clients per /64, and IPv4-mapped IPv6 as the IPv4 address', async () => {
    expect(await keyOf('', '2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(await keyOf('', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(await keyOf('', '2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(await keyOf('', '::1')).toBe('0:0:0:0::/64');
    expect(await keyOf('', '::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(await keyOf('1', '10.0.0.2', '[2001:db8::7]:4711')).toBe('2001:db8:0:0::/64');
    expect(await keyOf('1', '10.0.0.2', '192.0.2.10:4711')).toBe('192.0.2.10');
  });

  it('keeps the full address for callers that need it', () => {
    expect(
      resolveClientAddress({ peer: '10.0.0.2', forwardedFor: '2001:db8::7', trust: trust('10.0.0.0/8') }),
    ).toBe('2001:db8::7');
  });

  it('refuses a setting that is neither a hop count nor a CIDR list, naming the bad part', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.0/8,example.com', 'fd00::/129', '99', '10.0.0.0/8/1']) {
      const parsed = parseTrustProxy(bad);
      expect(parsed.ok, bad).toBe(false);
    }
    const parsed = parseTrustProxy('10.0.0.0/8,example.com');
    expect(parsed.ok ? '' : parsed.error).toContain('"example.com"');
    expect(parseTrustProxy('203.0.113.5').ok).toBe(true);
  });
});
