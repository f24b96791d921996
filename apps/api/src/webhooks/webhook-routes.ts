import type { AppContext } from '../app-context.js';
import { createRouter } from '../http/router.js';

export function webhookRoutes(_ctx: AppContext) {
  return createRouter();
}
