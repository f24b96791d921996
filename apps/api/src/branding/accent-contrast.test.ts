import { describe, expect, it } from 'vitest';
import {
  contrastMessage,
  contrastRatio,
  darkPage,
  firstFailure,
  lightPairs,
  passesDark,
  passesLight,
  TEXT_CONTRAST,
} from './accent-contrast.js';
import { darkPalette, themeStylesheet } from './theme-stylesheet.js';

describe('accent contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('takes a colour only where links and the Pay button stay readable on the light page', () => {
    expect(passesLight('#1d4ed8')).toBe(true);
    expect(passesLight('#ffcc00')).toBe(false);
    // 4.54:1 on white, but the page background is #f4f5f7: 4.16:1 there.
    expect(passesLight('#767676')).toBe(false);
    const failure = firstFailure(lightPairs('#ffcc00'));
    expect(failure?.reached).toBe(1.38);
    expect(contrastMessage('#ffcc00', failure!)).toContain('1.38:1');
    expect(contrastMessage('#ffcc00', failure!)).toContain('4.5:1');
  });

  it('offers the dark scheme only to colours that pass there too', () => {
    expect(passesDark('#2563eb')).toBe(true);
    expect(passesDark('#1d4ed8')).toBe(false);
    expect(themeStylesheet('#2563eb')).toContain('prefers-color-scheme: dark');
    expect(themeStylesheet('#1d4ed8')).not.toContain('prefers-color-scheme');
    expect(themeStylesheet('#ffcc00')).toBeUndefined();
  });

  it('the dark palette meets AA for every text colour on the backgrounds it is shown on', () => {
    const p = darkPalette;
    const textPairs: [string, string][] = [
      [p['--color-text'], p['--color-bg']],
      [p['--color-text'], p['--color-surface']],
      [p['--color-muted'], p['--color-surface']],
      [p['--color-link'], p['--color-bg']],
      [p['--color-error'], p['--color-surface']],
      [p['--color-error'], p['--color-error-bg']],
      [p['--color-done'], p['--color-done-bg']],
      [p['--color-wait'], p['--color-wait-bg']],
      [p['--color-wait'], p['--color-surface']],
      [p['--color-test-text'], p['--color-test-bg']],
    ];
    for (const [text, background] of textPairs)
      expect(contrastRatio(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(
        TEXT_CONTRAST,
      );
    expect(p['--color-surface']).toBe(darkPage.surface);
  });
});
