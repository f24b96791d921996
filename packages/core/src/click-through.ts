/** What the pay page knows about a request, already read from its headers and cookie. */
export type ClickThroughRequest = {
  method: string;
  userAgent?: string;
  secPurpose?: string;
  purpose?: string;
  xPurpose?: string;
  xMoz?: string;
  secFetchDest?: string;
  /** Opaque id from the visitor cookie, when the browser sent one. */
  visitorId?: string;
  lastVisitByThisVisitorAt?: Date;
  now: Date;
};

export type ClickThroughReason = 'method' | 'prefetch' | 'not_navigation' | 'bot' | 'repeat_visit';

export type ClickThroughDecision = { record: true } | { record: false; reason: ClickThroughReason };

// Long enough to absorb refreshes, back-and-forth and a payer switching apps to find a card; short
// enough that coming back to the link later in the day counts as a new click-through.
export const REPEAT_VISIT_WINDOW_MS = 30 * 60 * 1000;

// Agents that fetch links to preview or scan them, never on a person's behalf. Matched against the
// whole User-Agent. In-app browsers (FBAN, Instagram, [LinkedInApp]) are people and must not match.
// Scanners that pose as a desktop browser (Defender Safe Links detonation, some gateways) cannot be
// told apart by UA; the prefetch, Sec-Fetch-Dest and repeat rules catch part of them.
const PREVIEW_AGENTS: readonly RegExp[] = [
  /slackbot/i, // Slackbot-LinkExpanding
  /facebookexternalhit|facebot/i, // Facebook, Messenger, iMessage previews
  /twitterbot/i,
  /^whatsapp\//i, // the preview fetcher; WhatsApp opens links in the system browser
  /telegrambot/i,
  /linkedinbot/i,
  /discordbot/i,
  /skypeuripreview/i, // Skype and Teams
  /googlebot|google-(inspectiontool|safety|pagerenderer)/i,
  /bingbot|bingpreview/i,
  /applebot/i,
  /ms-office|msoffice|microsoft office/i, // Office apps probe a link before handing it to the browser
  /barracuda|proofpoint|mimecast/i, // mail security gateways that self-identify
  /embedly|iframely|vkshare|pinterest|redditbot|mastodon\//i,
  // HTTP libraries and command-line tools: a click-through means a person in a browser.
  /^(curl|wget|python-requests|python-urllib|aiohttp|go-http-client|okhttp|axios|node-fetch|undici|node)\b/i,
  /^(java\/|apache-httpclient|libwww-perl)/i,
  // Generic self-descriptions. "bot" needs a boundary or a slash so that phone models such as
  // "CUBOT P30" in an Android UA still count as people.
  /\bbot\b|bot\/|crawler|spider|preview|scanner/i,
];

function isPreviewAgent(userAgent: string | undefined): boolean {
  // Every browser sends a User-Agent; its absence means a script.
  if (userAgent === undefined || userAgent.trim() === '') return true;
  return PREVIEW_AGENTS.some((pattern) => pattern.test(userAgent));
}

function headerTokens(value: string | undefined): string[] {
  return (value ?? '')
    .toLowerCase()
    .split(/[;,]/)
    .map((token) => token.trim());
}

// Prefetch and prerender fetch the page before anyone decides to open it. A prerendered page the
// payer later activates is therefore not counted here; counting it needs a beacon from the page.
function isSpeculative(req: ClickThroughRequest): boolean {
  const secPurpose = headerTokens(req.secPurpose);
  return (
    secPurpose.includes('prefetch') ||
    secPurpose.includes('prerender') ||
    headerTokens(req.purpose).includes('prefetch') ||
    headerTokens(req.xPurpose).some((t) => t === 'preview' || t === 'prefetch') ||
    headerTokens(req.xMoz).includes('prefetch')
  );
}

export function decideClickThrough(req: ClickThroughRequest): ClickThroughDecision {
  // HEAD, OPTIONS and the POST that submits payment details are not someone opening the link.
  if (req.method.toUpperCase() !== 'GET') return { record: false, reason: 'method' };
  if (isSpeculative(req)) return { record: false, reason: 'prefetch' };
  // Browsers mark a top-level page load "document"; fetch(), images and iframes are not a visit.
  const dest = req.secFetchDest?.toLowerCase();
  if (dest !== undefined && dest !== 'document') return { record: false, reason: 'not_navigation' };
  if (isPreviewAgent(req.userAgent)) return { record: false, reason: 'bot' };
  if (
    req.visitorId !== undefined &&
    req.lastVisitByThisVisitorAt !== undefined &&
    req.now.getTime() - req.lastVisitByThisVisitorAt.getTime() < REPEAT_VISIT_WINDOW_MS
  ) {
    return { record: false, reason: 'repeat_visit' };
  }
  return { record: true };
}
