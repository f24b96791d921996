import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { text } from './text-schema.js';
import { validationProblem } from './validation.js';

const body = z.object({ title: text({ min: 1, max: 50 }), note: text({ max: 500, multiline: true }) });

function refusal(input: unknown) {
  const result = body.safeParse(input);
  if (result.success) return undefined;
  return validationProblem(result.error.issues, input);
}

describe('text fields', () => {
  it('take ordinary text, trimmed, accents and emoji included', () => {
    expect(body.parse({ title: '  Café 🎉 ', note: 'Paid by bank' })).toEqual({
      title: 'Café 🎉',
      note: 'Paid by bank',
    });
  });

  it('refuse U+0000 with a 422 naming the field', () => {
    const problem = refusal({ title: 'a\u0000b', note: '' });
    expect(problem?.status).toBe(422);
    expect(problem?.problem).toMatchObject({ field: 'title', code: 'validation_failed' });
    expect(problem?.errors).toEqual([
      {
        code: 'control_character',
        field: 'title',
        message: 'Text must not contain control characters (found U+0000).',
      },
    ]);
  });

  it('refuse every other C0 and C1 control, and DEL', () => {
    for (const char of ['\u0001', '\u001b', '\u007f', '\u0085', '\u009b']) {
      expect(refusal({ title: `a${char}b`, note: '' })?.errors?.[0]?.field, JSON.stringify(char)).toBe(
        'title',
      );
      expect(refusal({ title: 'a', note: `a${char}b` })?.errors?.[0]?.field, JSON.stringify(char)).toBe(
        'note',
      );
    }
  });

  it('keep line breaks and tabs only in multi-line fields', () => {
    expect(refusal({ title: 'a', note: 'line one\r\nline two\tend' })).toBeUndefined();
    for (const char of ['\n', '\r', '\t']) {
      expect(refusal({ title: `a${char}b`, note: '' })?.errors?.[0]?.code).toBe('control_character');
    }
  });
});
