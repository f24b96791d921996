import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('sign-up and mail settings', () => {
  it('keeps sign-up closed after the first workspace unless PAYLINKS_OPEN_SIGNUP=true', () => {
    expect(loadConfig({}).openSignup).toBe(false);
    expect(loadConfig({ PAYLINKS_OPEN_SIGNUP: 'true' }).openSignup).toBe(true);
    expect(loadConfig({ PAYLINKS_OPEN_SIGNUP: 'false' }).openSignup).toBe(false);
    expect(() => loadConfig({ PAYLINKS_OPEN_SIGNUP: 'yes' })).toThrow(
      /PAYLINKS_OPEN_SIGNUP: must be true or false/,
    );
  });

  it('reads SMTP_URL and refuses another scheme without echoing the password', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://u:p@mail.example:587' }).smtpUrl).toBe(
      'smtp://u:p@mail.example:587',
    );
    const refuse = () => loadConfig({ SMTP_URL: 'http://u:secret-pass@mail.example' });
    expect(refuse).toThrow(ConfigError);
    expect(refuse).toThrow(/SMTP_URL/);
    expect(refuse).not.toThrow(/secret-pass/);
  });
});
