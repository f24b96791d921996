import type { ApiClient } from '$lib/api/client';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Locals {
      /** The API, typed from its OpenAPI document; calls go in-process through `event.fetch`. */
      api: ApiClient;
    }
  }
}
