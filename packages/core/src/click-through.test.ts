import { describe, expect, it } from 'vitest';
import { type ClickThroughRequest, decideClickThrough, REPEAT_VISIT_WINDOW_MS } from './click-through.js';

const now = new Date('2025-06-01T12:00:00Z');
const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const visit = (over: Partial<ClickThroughRequest> = {}): ClickThroughRequest => ({
  method: 'GET',
  userAgent: chrome,
  secFetchDest: 'document',
  now,
  ...over,
});

const people: [string, string][] = [
  ['Chrome on Windows', chrome],
  [
    'Edge',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  [
    'Chrome on a CUBOT phone',
    'Mozilla/5.0 (Linux; Android 10; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  ],
  [
    'Facebook in-app browser',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/441.0.0.33.113;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBLC/en_US]',
  ],
  [
    'Instagram in-app browser',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 302.0.0.23.114 (iPhone14,2; iOS 16_6; en_US; en; scale=3.00; 1170x2532; 522355466)',
  ],
  [
    'LinkedIn in-app browser',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6960',
  ],
  [
    'Headless Chromium (end-to-end tests)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  ],
];

const previewers: [string, string | undefined][] = [
  ['Slack', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
  ['Facebook', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
  [
    'iMessage',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
  ],
  ['Twitter', 'Twitterbot/1.0'],
  ['WhatsApp', 'WhatsApp/2.23.20.0 A'],
  ['Telegram', 'TelegramBot (like TwitterBot)'],
  ['LinkedIn', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)'],
  ['Discord', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)'],
  [
    'Skype/Teams',
    'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
  ],
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['Bing', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [
    'Applebot',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  ],
  ['Office link probe', 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)'],
  ['Outlook preview', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)'],
  ['Barracuda', 'Mozilla/5.0 (compatible; Barracuda Sentinel)'],
  ['Proofpoint', 'Proofpoint URL Defense'],
  ['Mimecast', 'Mimecast-URL-Protect/1.0'],
  ['Pinterest', 'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)'],
  ['Ahrefs', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['Baidu', 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)'],
  ['generic bot', 'Mozilla/5.0 (compatible; bot)'],
  ['curl', 'curl/8.5.0'],
  ['wget', 'Wget/1.21.4'],
  ['python-requests', 'python-requests/2.31.0'],
  ['Go', 'Go-http-client/1.1'],
  ['Node fetch', 'node'],
  ['missing', undefined],
  ['empty', ''],
];

describe('decideClickThrough', () => {
  it.each(people)('records a visit from %s', (_name, userAgent) => {
    expect(decideClickThrough(visit({ userAgent }))).toEqual({ record: true });
  });

  it.each(previewers)('records nothing for %s', (_name, userAgent) => {
    expect(decideClickThrough(visit({ userAgent }))).toEqual({ record: false, reason: 'bot' });
  });

  it.each(['HEAD', 'OPTIONS', 'POST', 'head'])('records nothing for %s', (method) => {
    expect(decideClickThrough(visit({ method }))).toEqual({ record: false, reason: 'method' });
  });

  it.each([
    [{ secPurpose: 'prefetch' }],
    [{ secPurpose: 'prefetch;prerender' }],
    [{ secPurpose: 'prefetch;anonymous-client-ip' }],
    [{ purpose: 'prefetch' }],
    [{ purpose: 'Prefetch' }],
    [{ xPurpose: 'preview' }],
    [{ xMoz: 'prefetch' }],
  ])('records nothing for a speculative load %o', (headers) => {
    expect(decideClickThrough(visit(headers))).toEqual({ record: false, reason: 'prefetch' });
  });

  it.each(['empty', 'image', 'iframe', 'script'])(
    'records nothing when Sec-Fetch-Dest is %s',
    (secFetchDest) => {
      expect(decideClickThrough(visit({ secFetchDest }))).toEqual({
        record: false,
        reason: 'not_navigation',
      });
    },
  );

  it('records a navigation from a browser too old to send Sec-Fetch-Dest', () => {
    expect(decideClickThrough(visit({ secFetchDest: undefined }))).toEqual({ record: true });
  });

  it('records nothing for the same visitor within the window, and records after it', () => {
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const same = (ms: number) => visit({ visitorId: 'v1', lastVisitByThisVisitorAt: ago(ms) });
    expect(decideClickThrough(same(0))).toEqual({ record: false, reason: 'repeat_visit' });
    expect(decideClickThrough(same(REPEAT_VISIT_WINDOW_MS - 1))).toEqual({
      record: false,
      reason: 'repeat_visit',
    });
    expect(decideClickThrough(same(REPEAT_VISIT_WINDOW_MS))).toEqual({ record: true });
  });

  it('records a different visitor, who has no earlier visit of their own', () => {
    expect(decideClickThrough(visit({ visitorId: 'v2' }))).toEqual({ record: true });
    expect(decideClickThrough(visit({ visitorId: undefined }))).toEqual({ record: true });
  });
});
