import type { ApiClient } from '$lib/api/client';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** The API's problem code (link_expired, rate_limited…): which state the page explains. */
      code?: string;
      /** From the API's Retry-After, for a payer told to come back later. */
      retryAfterSeconds?: number;
    }
    interface Locals {
      /** The API, typed from its OpenAPI document; calls go in-process through `event.fetch`. */
      api: ApiClient;
    }
  }
}
