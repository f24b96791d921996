import { z } from '@hono/zod-openapi';

/** The stable `code` of a refusal for a control character in text. */
export const CONTROL_CHARACTER_CODE = 'control_character';

// C0, DEL and C1. PostgreSQL's `text` cannot hold U+0000 at all (the query fails); the others are
// never typed by a person and turn into spoofed log lines, broken CSV cells and invisible names.
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

// Multi-line fields (a note, a description) keep what a textarea sends: line breaks and tabs.
const lineBreaksAndTab = new Set([0x09, 0x0a, 0x0d]);

/** The first control character in `value` the rule refuses, as U+XXXX; undefined when there is none. */
export function forbiddenControl(value: string, multiline = false): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (isControl(code) && !(multiline && lineBreaksAndTab.has(code))) {
      return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return undefined;
}

/** The stable `code` of a refusal for text that is not Unicode (half of a UTF-16 surrogate pair). */
export const UNPAIRED_SURROGATE_CODE = 'invalid_unicode';

/**
 * JSON's `\ud800` escape decodes to half a character. PostgreSQL refuses it in jsonb and UTF-8 text
 * (the query fails: a 500), and no keyboard types it. Only JSON can carry one (URLs and forms arrive
 * as UTF-8), so control-character-guard.ts refuses it for every JSON body.
 */
export function unpairedSurrogate(value: string): string | undefined {
  const found = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(value);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase()}` : undefined;
}

export function unpairedSurrogateMessage(codePoint: string): string {
  return `Text must be valid Unicode (found half of a surrogate pair, ${codePoint}).`;
}

export function controlCharacterMessage(codePoint: string): string {
  return `Text must not contain control characters (found ${codePoint}).`;
}

export interface TextOptions {
  min?: number;
  max: number;
  /** Line breaks and tabs allowed, for notes and descriptions; every other control is refused. */
  multiline?: boolean;
  /** Free text is trimmed; tokens and opaque values are taken as sent. */
  trim?: boolean;
}

/**
 * Every text input of the API, body field or query parameter, is one of these: a string that
 * refuses control characters with a 422 naming the field, instead of reaching SQL.
 */
export function text({ min, max, multiline = false, trim = true }: TextOptions): z.ZodString {
  let schema = z.string();
  if (trim) schema = schema.trim();
  if (min !== undefined) schema = schema.min(min);
  return schema.max(max).superRefine((value, ctx) => {
    const codePoint = forbiddenControl(value, multiline);
    if (codePoint) {
      ctx.addIssue({
        code: 'custom',
        message: controlCharacterMessage(codePoint),
        params: { code: CONTROL_CHARACTER_CODE },
      });
    }
  });
}
