import { describe, expect, it } from 'vitest';
import { isPublicAddress, staticUrlRefusal } from './webhook-url-guard.js';

const policy = { publicUrl: 'https://pay.example.com', allowPrivate: false };

describe('which addresses an endpoint may point at', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:7f00:1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.215.14'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('a URL refused before any DNS', () => {
  it.each([
    ['ftp://example.com/hook', 'webhook_url_not_allowed'],
    ['file:///etc/passwd', 'webhook_url_not_allowed'],
    ['https://user:pass@example.com/hook', 'webhook_url_not_allowed'],
    ['https://pay.example.com/api/anything', 'webhook_url_not_allowed'],
    ['http://[::ffff:127.0.0.1]:8080/', 'webhook_url_not_allowed'],
    ['http://169.254.169.254/latest/meta-data', 'webhook_url_not_allowed'],
    ['not a url', 'invalid_url'],
  ])('%s → %s', (url, code) => {
    expect(staticUrlRefusal(url, policy)).toMatchObject({ code, field: 'url' });
  });

  it('lets a public https URL through, and private targets only with the setting', () => {
    expect(staticUrlRefusal('https://crm.example.org/hooks', policy)).toBeNull();
    expect(staticUrlRefusal('http://127.0.0.1:4000/hooks', { ...policy, allowPrivate: true })).toBeNull();
    // Our own origin stays refused even then: nothing but loops and self-requests lie there.
    expect(staticUrlRefusal('https://pay.example.com/x', { ...policy, allowPrivate: true })).not.toBeNull();
  });
});
