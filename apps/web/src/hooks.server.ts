import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { createApiClient } from '$lib/api/client';
import { localeHandle } from '$lib/i18n/locale-handle';
import { closeOnShutdown, embeddedApi, openApiOnce } from '$lib/server/embedded-api';
import { crossSiteRefusal, isCrossSiteMutation } from '$lib/server/origin-check';
import { isPayPage, widenFormAction } from '$lib/server/pay-form-action';
import { setSecurityHeaders } from '$lib/server/security-headers';

export const init: ServerInit = async () => {
  // `vite build` loads the hooks to analyse the app: no database then.
  if (building) return;
  await openApiOnce(process.env);
  closeOnShutdown({ dev });
};

const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

/** /api/* goes to the Hono app in-process, with the caller's address for its rate limits. */
const api: Handle = async ({ event, resolve }) => {
  if (!isApiPath(event.url.pathname)) return resolve(event);
  const remoteAddress = event.getClientAddress();
  const { app } = await embeddedApi();
  return app.fetch(event.request, { clientAddress: remoteAddress, incoming: { socket: { remoteAddress } } });
};

const pages: Handle = async ({ event, resolve }) => {
  if (isCrossSiteMutation(event.request, event.url.origin)) return crossSiteRefusal();
  event.locals.api = createApiClient(event);
  const response = await resolve(event);
  const { publicUrl, checkoutOrigins } = await embeddedApi();
  setSecurityHeaders(response.headers, { https: publicUrl.startsWith('https:') });
  // The pay form is answered with a redirect to the provider's page, which form-action must allow.
  const policy = response.headers.get('content-security-policy');
  if (policy && isPayPage(event.url.pathname))
    response.headers.set('content-security-policy', widenFormAction(policy, checkoutOrigins));
  return response;
};

export const handle = sequence(api, localeHandle, pages);
