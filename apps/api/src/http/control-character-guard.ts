import type { MiddlewareHandler } from 'hono';
import { ProblemError } from './problem.js';
import {
  CONTROL_CHARACTER_CODE,
  controlCharacterMessage,
  forbiddenControl,
  UNPAIRED_SURROGATE_CODE,
  unpairedSurrogate,
  unpairedSurrogateMessage,
} from './text-schema.js';

/**
 * The last line behind text-schema.ts: routes whose schemas are not ours (better-auth's) or not yet
 * migrated must still never hand PostgreSQL a U+0000, which fails the query (a 500). Any JSON string
 * or key, and any query value, holding a control character other than a line break or tab is
 * refused with the same 422 the schemas give, and so is half of a surrogate pair (`\ud800`). Single-line fields refuse line breaks in their schema.
 * Webhooks are the providers' signed bytes and are read by their plugins, so they are left alone.
 */
export function refuseControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.startsWith('/api/webhooks/')) return next();
    for (const [name, value] of new URL(c.req.url).searchParams) {
      refuseIn(value, name);
    }
    if (c.req.raw.body && (c.req.header('content-type') ?? '').includes('json')) {
      // A clone, so the route (or better-auth, which reads the raw request) still gets the body.
      const body = await c.req.raw.clone().text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        // Malformed JSON is the route validator's to answer, with its own code.
        return next();
      }
      walk(parsed, []);
    }
    return next();
  };
}

/**
 * No body the API takes nests deeper than a few levels. Deeper ones are refused here, before anything
 * recursive (this walk, a schema, a log line) meets them: ten thousand levels overflowed the stack (a 500).
 */
export const MAX_JSON_DEPTH = 32;

/** Depth first with a stack of its own, so the nesting of the body never becomes the depth of ours. */
function walk(root: unknown, rootPath: string[]): void {
  const pending: { value: unknown; path: string[] }[] = [{ value: root, path: rootPath }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      refuseIn(value, path.join('.'));
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) refuseDepth(path);
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        pending.push({ value: item, path: [...path, String(index)] });
      });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      refuseIn(key, [...path, printable(key)].join('.'));
      pending.push({ value: item, path: [...path, key] });
    }
  }
}

function refuseDepth(path: string[]): never {
  const field = path.slice(0, 3).map(printable).join('.');
  const detail = {
    code: 'too_deeply_nested',
    ...(field ? { field } : {}),
    message: `JSON bodies may nest at most ${MAX_JSON_DEPTH} levels.`,
  };
  throw new ProblemError(422, { ...detail, code: 'validation_failed' }, [detail]);
}

function refuseIn(value: string, field: string): void {
  const control = forbiddenControl(value, true);
  const halfPair = control === undefined ? unpairedSurrogate(value) : undefined;
  if (control === undefined && halfPair === undefined) return;
  const detail = {
    code: control ? CONTROL_CHARACTER_CODE : UNPAIRED_SURROGATE_CODE,
    ...(field ? { field } : {}),
    message: control ? controlCharacterMessage(control) : unpairedSurrogateMessage(halfPair!),
  };
  throw new ProblemError(422, { ...detail, code: 'validation_failed' }, [detail]);
}

/** A key that is itself at fault is named without the character that made it so. */
function printable(key: string): string {
  return Array.from(key, (char) =>
    forbiddenControl(char, true) || unpairedSurrogate(char) ? '\uFFFD' : char,
  ).join('');
}
