import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ProblemDetail } from '../http/problem.js';

/**
 * Outgoing webhooks would let anyone with an admin role make this server send requests wherever
 * they like (SSRF): to the cloud metadata address, to a database on the private network, to this
 * API itself. Only public addresses are allowed, checked when an endpoint is saved and again at
 * every send, on the very address the connection is made to, since DNS can change in between.
 */
export interface WebhookTargetPolicy {
  /** Our own PUBLIC_URL: an endpoint never points back at this API. */
  publicUrl: string;
  /** PAYLINKS_WEBHOOKS_ALLOW_PRIVATE: private, loopback and link-local targets allowed (a lab, tests). */
  allowPrivate: boolean;
}

const refused = (message: string): ProblemDetail => ({
  code: 'webhook_url_not_allowed',
  field: 'url',
  message,
});

/** Whether an address may be sent to; ipaddr.js names every special range, only plain unicast passes. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 address it carries.
  return ipaddr.process(address).range() === 'unicast';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** The checks that need no DNS: scheme, credentials, our own origin, an address written in the URL. */
export function staticUrlRefusal(raw: string, policy: WebhookTargetPolicy): ProblemDetail | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      code: 'invalid_url',
      field: 'url',
      message: 'Enter a full URL, such as https://example.com/hooks.',
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refused('The URL must start with https:// or http://.');
  if (url.username || url.password)
    return refused('The URL must not contain a user name or password; authenticate by the signature.');
  if (url.origin === new URL(policy.publicUrl).origin)
    return refused('The URL must not point at Paylinks itself.');
  const host = hostOf(url);
  if (!policy.allowPrivate && isIP(host) && !isPublicAddress(host))
    return refused('The URL must point at a public address, not a private, loopback or link-local one.');
  return null;
}

/**
 * Everything staticUrlRefusal checks, plus where the name resolves now: every address it has must be
 * public (one private answer among public ones is how a rebinding attack starts).
 */
export async function webhookUrlRefusal(
  raw: string,
  policy: WebhookTargetPolicy,
): Promise<ProblemDetail | null> {
  const staticRefusal = staticUrlRefusal(raw, policy);
  if (staticRefusal || policy.allowPrivate) return staticRefusal;
  const host = hostOf(new URL(raw));
  if (isIP(host)) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return {
      code: 'webhook_url_unresolvable',
      field: 'url',
      message: `The host ${host} could not be found.`,
    };
  }
  if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address)))
    return refused(`${host} resolves to a private, loopback or link-local address.`);
  return null;
}

export class WebhookTargetRefused extends Error {
  override name = 'WebhookTargetRefused';
}

/**
 * A `lookup` for http.request that refuses non-public answers: the connection goes to the address
 * that was checked, so a name that changes its answer between check and connect gains nothing.
 */
export function guardedLookup(policy: WebhookTargetPolicy): typeof dnsLookup {
  const guarded = (hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const list = addresses as LookupAddress[];
      const bad = !policy.allowPrivate && list.some((entry) => !isPublicAddress(entry.address));
      if (bad || list.length === 0)
        return callback(new WebhookTargetRefused(`${hostname} resolves to a non-public address`));
      const wantsAll = (options as { all?: boolean }).all === true;
      if (wantsAll) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return guarded as unknown as typeof dnsLookup;
}
