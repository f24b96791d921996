import { z } from '@hono/zod-openapi';
import { CONTROL_CHARACTER_CODE, controlCharacterMessage, forbiddenControl } from './text-schema.js';

export const METADATA_MAX_KEYS = 20;
export const METADATA_MAX_KEY_LENGTH = 40;
export const METADATA_MAX_VALUE_LENGTH = 500;
/** Keys and values together, in UTF-8 bytes. */
export const METADATA_MAX_BYTES = 8192;
const keyPattern = /^[A-Za-z0-9_.-]+$/;

const description =
  `The integrator's own key/value pairs, never shown to the payer: a flat map of strings, at most ` +
  `${METADATA_MAX_KEYS} keys of 1–${METADATA_MAX_KEY_LENGTH} characters from A–Z, a–z, 0–9, "_", "." and "-", ` +
  `values of at most ${METADATA_MAX_VALUE_LENGTH} characters, ${METADATA_MAX_BYTES} bytes (UTF-8) of keys and ` +
  'values in all. A refusal names the key at fault as `metadata.<key>`.';

/** Metadata as the API answers it (every stored map passed the input schema below). */
export const metadataSchema = z.record(z.string(), z.string()).openapi('Metadata', {
  description,
  example: { crmId: 'A-1042', 'order.ref': '2026/118' },
});

/**
 * Metadata as clients send it. Each rule is checked here, with its own code and the key as the field,
 * so an integrator learns which pair to fix; the whole map replaces the stored one.
 */
export const metadataInputSchema = z
  .record(z.string(), z.string())
  .superRefine((map, ctx) => {
    const keys = Object.keys(map);
    for (const key of keys) {
      const value = map[key] ?? '';
      if (key.length > METADATA_MAX_KEY_LENGTH || !keyPattern.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `Metadata keys are 1–${METADATA_MAX_KEY_LENGTH} characters from A–Z, a–z, 0–9, "_", "." and "-".`,
          params: { code: 'invalid_metadata_key' },
        });
      } else if (value.length > METADATA_MAX_VALUE_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `A metadata value is at most ${METADATA_MAX_VALUE_LENGTH} characters.`,
          params: { code: 'too_big' },
        });
      } else {
        const control = forbiddenControl(value);
        if (control) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: controlCharacterMessage(control),
            params: { code: CONTROL_CHARACTER_CODE },
          });
        }
      }
    }
    if (keys.length > METADATA_MAX_KEYS) {
      ctx.addIssue({
        code: 'custom',
        message: `Metadata holds at most ${METADATA_MAX_KEYS} keys.`,
        params: { code: 'too_many_keys' },
      });
    }
    const bytes = keys.reduce(
      (sum, key) => sum + Buffer.byteLength(key) + Buffer.byteLength(map[key] ?? ''),
      0,
    );
    if (bytes > METADATA_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `Metadata keys and values together are at most ${METADATA_MAX_BYTES} bytes.`,
        params: { code: 'too_big' },
      });
    }
  })
  .openapi('MetadataInput', {
    description,
    maxProperties: METADATA_MAX_KEYS,
    additionalProperties: { type: 'string', maxLength: METADATA_MAX_VALUE_LENGTH },
    example: { crmId: 'A-1042' },
  });

/** The stored jsonb, as the API shows it. */
export function presentMetadata(stored: unknown): Record<string, string> {
  return stored !== null && typeof stored === 'object' ? (stored as Record<string, string>) : {};
}
