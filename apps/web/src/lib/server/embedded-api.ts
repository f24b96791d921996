import { type EmbeddedApi, openEmbeddedApi } from '@paylinks/api/embedded';

declare global {
  // Kept on globalThis: `vite dev` re-imports the hooks on every edit, and a second open of the same
  // PGlite data directory by this process would be refused by its lock.
  var paylinksEmbeddedApi: Promise<EmbeddedApi> | undefined;
  var paylinksCloseOnShutdown: boolean | undefined;
}

/** Opens the API (database, app, background loops) the first time; later calls get the same one. */
export function openApiOnce(env: Record<string, string | undefined>): Promise<EmbeddedApi> {
  globalThis.paylinksEmbeddedApi ??= openEmbeddedApi(env).catch((error: unknown) => {
    globalThis.paylinksEmbeddedApi = undefined;
    throw error;
  });
  return globalThis.paylinksEmbeddedApi;
}

/** The API the `init` hook opened. */
export function embeddedApi(): Promise<EmbeddedApi> {
  const api = globalThis.paylinksEmbeddedApi;
  if (!api) throw new Error('The embedded API is not open: the init hook has not run');
  return api;
}

/** Stops the background loops and closes the database, once. */
export async function closeApi(): Promise<void> {
  const api = globalThis.paylinksEmbeddedApi;
  globalThis.paylinksEmbeddedApi = undefined;
  if (api) await (await api).close();
}

/**
 * Closes the API when the process is asked to stop, registered once however often the hooks reload.
 * Under adapter-node, SIGTERM/SIGINT first stop new requests and let running ones finish; it then emits
 * `sveltekit:shutdown`, and only then may the database close. `vite dev` has no such event.
 */
export function closeOnShutdown(options: { dev: boolean }): void {
  if (globalThis.paylinksCloseOnShutdown) return;
  globalThis.paylinksCloseOnShutdown = true;
  if (options.dev) {
    const stop = () => void closeApi().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else {
    process.once('sveltekit:shutdown', () => void closeApi());
  }
}
