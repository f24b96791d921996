import type { TestApp, TestMember } from '../testing/test-app.js';

/** Creates an API key as `manager` (owner or admin, signed in) through the API; its id and the key. */
export async function createApiKey(
  app: TestApp,
  manager: TestMember,
  name = 'script',
  options: { scope?: 'read' | 'payments' | 'all'; expiresInDays?: number } = {},
) {
  const response = await app.call(manager, 'POST', '/api/api-keys', { name, ...options });
  if (response.status !== 201)
    throw new Error(`key creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; key: string; scope: string; expiresAt: string | null };
}

/** A JSON request as a script holding `key` sends it. */
export const callWithKey = (
  app: Pick<TestApp, 'request'>,
  key: string,
  method: string,
  path: string,
  body?: unknown,
) =>
  app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A request as a script holding `key` would send it: no cookie, no Origin. */
export const withKey = (app: Pick<TestApp, 'request'>, key: string, path = '/api/me') =>
  app.request(path, { headers: { authorization: `Bearer ${key}` } });

/** The rate-limit headers of an answer, as numbers (null when absent). */
export function rateLimitHeaders(response: Response) {
  const number = (name: string) => {
    const value = response.headers.get(name);
    return value === null ? null : Number(value);
  };
  return {
    limit: number('ratelimit-limit'),
    remaining: number('ratelimit-remaining'),
    reset: number('ratelimit-reset'),
    retryAfter: number('retry-after'),
  };
}
