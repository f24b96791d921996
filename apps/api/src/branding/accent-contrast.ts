/**
 * WCAG 2.2 contrast of a brand's accent colour against the colours the payment page puts beside it
 * (apps/web/src/routes/(public)/public.css). Light is the page's default and must pass; the dark
 * scheme is offered only to colours that pass there too.
 */

/** The light page's colours the accent meets. */
export const lightPage = { background: '#f4f5f7', surface: '#ffffff', onAccent: '#ffffff' } as const;
/** The dark scheme's surface (the card), the lightest dark colour an accent button sits on. */
export const darkPage = { surface: '#1b1e24', onAccent: '#ffffff' } as const;

/** WCAG AA: 4.5:1 for text; 3:1 for a control's boundary against what surrounds it (1.4.11). */
export const TEXT_CONTRAST = 4.5;
export const NON_TEXT_CONTRAST = 3;

export interface ContrastPair {
  /** What the pair is on the page, for the refusal's message. */
  role: string;
  foreground: string;
  background: string;
  needed: number;
}

/**
 * Light scheme: the accent is the colour of links and secondary buttons on the page background (the
 * darker of background and card), and the background of the Pay button under white text.
 */
export const lightPairs = (accent: string): ContrastPair[] => [
  {
    role: 'links and buttons on the page background',
    foreground: accent,
    background: lightPage.background,
    needed: TEXT_CONTRAST,
  },
  {
    role: 'white text on the Pay button',
    foreground: lightPage.onAccent,
    background: accent,
    needed: TEXT_CONTRAST,
  },
];

/**
 * Dark scheme: links use the light text colour there, so the accent appears only as the Pay button,
 * white text on it, and the button must stand out from the dark card.
 */
export const darkPairs = (accent: string): ContrastPair[] => [
  {
    role: 'white text on the Pay button',
    foreground: darkPage.onAccent,
    background: accent,
    needed: TEXT_CONTRAST,
  },
  {
    role: 'the Pay button against the dark card',
    foreground: accent,
    background: darkPage.surface,
    needed: NON_TEXT_CONTRAST,
  },
];

function channel(value: number): number {
  const s = value / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 0xff) + 0.7152 * channel((n >> 8) & 0xff) + 0.0722 * channel(n & 0xff);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export interface ContrastFailure {
  pair: ContrastPair;
  /** Rounded down to two decimals, so a reported 4.49 never reads as passing. */
  reached: number;
}

/** The first pair the colour fails, or undefined when it passes them all. */
export function firstFailure(pairs: ContrastPair[]): ContrastFailure | undefined {
  for (const pair of pairs) {
    const ratio = contrastRatio(pair.foreground, pair.background);
    if (ratio < pair.needed) return { pair, reached: Math.floor(ratio * 100) / 100 };
  }
  return undefined;
}

export const passesLight = (accent: string) => firstFailure(lightPairs(accent)) === undefined;
export const passesDark = (accent: string) => firstFailure(darkPairs(accent)) === undefined;

/** What a refused colour is told: the contrast it reached, where, and what is needed. */
export function contrastMessage(accent: string, failure: ContrastFailure): string {
  const { pair, reached } = failure;
  return (
    `The accent colour ${accent} reaches a contrast of ${reached.toFixed(2)}:1 for ${pair.role} ` +
    `(${pair.foreground} on ${pair.background}); WCAG AA needs at least ${pair.needed}:1. Choose a darker colour.`
  );
}
