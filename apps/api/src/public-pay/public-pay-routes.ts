import type { AppContext } from '../app-context.js';
import { createRouter } from '../http/router.js';

export function publicPayRoutes(_ctx: AppContext) {
  return createRouter();
}
