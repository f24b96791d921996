import { BlockList, isIP, isIPv4 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Whose X-Forwarded-For to believe (PAYLINKS_TRUST_PROXY). Off by default: without a proxy that
 * overwrites the header, anyone could send a fresh value per request and never be limited.
 * - `hops`: exactly this many proxies stand in front of us; the client is the Nth address from the
 *   right (the one our outermost proxy saw).
 * - `cidrs`: proxies are recognised by address; walking from the right, trusted ones are skipped.
 */
export type TrustProxy =
  | { kind: 'off' }
  | { kind: 'hops'; hops: number }
  | { kind: 'cidrs'; cidrs: readonly string[]; list: BlockList };

export const trustNoProxy: TrustProxy = { kind: 'off' };

/** Reads PAYLINKS_TRUST_PROXY: unset, `0` or `off`; a hop count (`1`); or a comma-separated CIDR list. */
export function parseTrustProxy(
  value: string | undefined,
): { ok: true; value: TrustProxy } | { ok: false; error: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text.toLowerCase() === 'off') return { ok: true, value: trustNoProxy };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) return { ok: false, error: `a hop count must be at most 32, got ${hops}` };
    return { ok: true, value: { kind: 'hops', hops } };
  }
  const list = new BlockList();
  const cidrs: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix =
      prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (family === 0 || rest.length > 0 || !(prefix >= 0 && prefix <= max)) {
      return {
        ok: false,
        error: `"${entry}" is neither a hop count nor an IP address or CIDR range (e.g. 1, or 10.0.0.0/8,fd00::/8)`,
      };
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    cidrs.push(`${address}/${prefix}`);
  }
  return { ok: true, value: { kind: 'cidrs', cidrs, list } };
}

/**
 * The client's address as rate limits count it: IPv4 as is, IPv6 reduced to its /64 (one
 * subscriber usually holds a whole /64, so per-address limits would be free to dodge), `unknown`
 * when there is no usable address.
 *
 * Where the peer (the socket's far end) comes from:
 * - `c.env.clientAddress` (a string), for callers that run the app in-process with
 *   `app.fetch(request, { clientAddress })` — the web app passes its socket's remote address there
 *   (SvelteKit's `getClientAddress()` with no proxy settings of its own), and PAYLINKS_TRUST_PROXY
 *   then applies to it exactly as to our own server's sockets;
 * - otherwise @hono/node-server's socket (`getConnInfo`).
 */
export function clientAddress(c: Context, trust: TrustProxy): string {
  return limitKey(
    resolveClientAddress({ peer: peerAddress(c), forwardedFor: c.req.header('x-forwarded-for'), trust }),
  );
}

function peerAddress(c: Context): string | undefined {
  const fromEnv = (c.env as { clientAddress?: unknown } | undefined)?.clientAddress;
  if (typeof fromEnv === 'string') return fromEnv;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // app.request without a socket (tests, or an in-process caller that passed nothing).
    return undefined;
  }
}

/** The client's full address: the peer, or with a trusted proxy the address it forwarded. */
export function resolveClientAddress(input: {
  peer: string | undefined;
  forwardedFor: string | undefined;
  trust: TrustProxy;
}): string | undefined {
  const peer = normalise(input.peer);
  const trust = input.trust;
  switch (trust.kind) {
    case 'off':
      return peer;
    case 'hops': {
      const chain = forwardedChain(input.forwardedFor);
      if (chain.length === 0 || trust.hops === 0) return peer;
      // Fewer entries than hops: the leftmost one was still written by one of our proxies.
      return normalise(chain[Math.max(0, chain.length - trust.hops)]) ?? peer;
    }
    case 'cidrs': {
      const isTrusted = (address: string) => trust.list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
      if (peer === undefined || !isTrusted(peer)) return peer;
      const chain = forwardedChain(input.forwardedFor).map(normalise);
      let client = peer;
      for (let i = chain.length - 1; i >= 0; i--) {
        const hop = chain[i];
        // A value that is no address was not written by a proxy we know: stop at the last good one.
        if (hop === undefined) break;
        client = hop;
        if (!isTrusted(hop)) break;
      }
      return client;
    }
    default: {
      const unreachable: never = trust;
      return unreachable;
    }
  }
}

function forwardedChain(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A bare IP address, or undefined: brackets, ports and zone ids go; IPv4-mapped IPv6 becomes IPv4. */
function normalise(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1]) value = mapped[1];
  return isIP(value) === 0 ? undefined : value.toLowerCase();
}

function limitKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  if (isIPv4(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of a valid IPv6 address, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address;
  // An embedded IPv4 tail (::1.2.3.4) is two hextets.
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (tail) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((hextet) => Number.parseInt(hextet, 16).toString(16));
}
