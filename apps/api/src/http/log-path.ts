/**
 * Paths whose segment after the prefix is a bearer secret: a payment link's token (the payer's page
 * and its API) and an invitation's token (the invitee's page and its API). Anyone holding one can
 * pay, or join a workspace, so a log names the route instead.
 */
const tokenPrefixes = ['/api/pay/', '/pay/', '/api/invitations/accept/', '/invite/'] as const;

/** The request path as it may be logged: every token replaced by `:token`. */
export function loggedPath(path: string): string {
  for (const prefix of tokenPrefixes) {
    if (path.startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      return `${prefix}:token${slash < 0 ? '' : rest.slice(slash)}`;
    }
  }
  return path;
}
