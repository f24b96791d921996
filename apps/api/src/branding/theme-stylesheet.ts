import { passesDark, passesLight } from './accent-contrast.js';

/**
 * The payer pages' colours for one accent, as a stylesheet from our own origin: the strict CSP
 * (`style-src 'self'`, no inline styles) allows a linked file and nothing inline. It depends on the
 * colour alone, so its URL names the colour and it is cached for good.
 */

export const themePath = (accent: string) => `/api/branding/theme/${accent.slice(1)}.css`;

/** Darker by a quarter, for hover and the method mark: white text on it only gains contrast. */
function darker(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const scale = (shift: number) => Math.round(((n >> shift) & 0xff) * 0.75);
  return `#${[16, 8, 0].map((shift) => scale(shift).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Every pair here meets WCAG AA (accent-contrast.test.ts checks them): text 4.5:1 on its
 * background. Links turn to the text colour, since no accent passes as text on both schemes.
 */
export const darkPalette = {
  '--color-bg': '#111318',
  '--color-surface': '#1b1e24',
  '--color-text': '#e8eaed',
  '--color-muted': '#b0b6c0',
  '--color-border': '#5a616d',
  '--color-link': '#e8eaed',
  '--color-error': '#ff9b91',
  '--color-error-bg': '#3b1714',
  '--color-done': '#7ee2a8',
  '--color-done-bg': '#0e2b1c',
  '--color-wait': '#f5c451',
  '--color-wait-bg': '#33270b',
  '--color-test-bg': '#4a3608',
  '--color-test-text': '#fde68a',
  '--focus-ring': '3px solid #e8eaed',
} as const;

const declarations = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([name, value]) => `${name}:${value}`)
    .join(';');

/** The stylesheet for an accent that passes the light checks; undefined for one that does not. */
export function themeStylesheet(accent: string): string | undefined {
  if (!passesLight(accent)) return undefined;
  const light = declarations({
    '--color-accent': accent,
    '--color-accent-strong': darker(accent),
    '--color-link': accent,
    '--focus-ring': `3px solid ${accent}`,
  });
  // `:root:root` outranks public.css's `:root`, which SvelteKit links after the page's own head.
  const lines = [`:root:root{${light}}`];
  if (passesDark(accent)) {
    lines.push(
      `@media (prefers-color-scheme: dark){:root:root{color-scheme:dark;${declarations(darkPalette)}}}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
