/** Where to go after signing in: only a path on our own site, so a link cannot send a member elsewhere. */
export function safeNext(next: string | null, fallback = '/contacts'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
