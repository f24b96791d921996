import type { Auth } from './auth.js';

export const authBasePath = '/api/auth';

export type AuthMethod = 'GET' | 'POST';

export interface AuthRoute {
  method: AuthMethod;
  /** Below authBasePath, as better-auth names it. */
  path: string;
}

/**
 * The only better-auth routes reachable over HTTP. Everything else it serves (organization
 * management, user deletion, its own sign-up, its API-key routes…) would let people change roles,
 * membership and workspaces around our own routes and their role checks, so it answers 404.
 */
export const offeredAuthRoutes: readonly AuthRoute[] = [
  { method: 'POST', path: '/sign-in/email' },
  { method: 'POST', path: '/sign-out' },
  { method: 'GET', path: '/get-session' },
  { method: 'POST', path: '/change-password' },
];

/**
 * Compares the path exactly as sent (not decoded), so the request better-auth routes is the very one
 * that was checked.
 */
export function isOfferedAuthRoute(method: string, rawPathname: string): boolean {
  return offeredAuthRoutes.some(
    (route) => route.method === method && authBasePath + route.path === rawPathname,
  );
}

interface LibraryEndpoint {
  path?: string;
  options?: { method?: string | readonly string[] };
}

/** Every route the better-auth instance would serve: its endpoints that have a path (the rest are server-only). */
export function libraryAuthRoutes(auth: Auth): { path: string; methods: string[] }[] {
  return Object.values(auth.api as Record<string, LibraryEndpoint>).flatMap((endpoint) => {
    if (!endpoint.path) return [];
    const method = endpoint.options?.method ?? '*';
    return [{ path: endpoint.path, methods: typeof method === 'string' ? [method] : [...method] }];
  });
}

/**
 * Refuses to start when an offered route is no longer one the library serves, so an upgrade that
 * renames one fails here rather than as a 404 in front of users.
 */
export function assertOfferedRoutesExist(auth: Auth): void {
  const served = libraryAuthRoutes(auth);
  for (const offered of offeredAuthRoutes) {
    const found = served.some(
      (route) =>
        route.path === offered.path &&
        (route.methods.includes(offered.method) || route.methods.includes('*')),
    );
    if (!found) throw new Error(`better-auth no longer serves ${offered.method} ${offered.path}`);
  }
}
