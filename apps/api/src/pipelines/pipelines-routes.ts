import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { createRouter } from '../http/router.js';

export function pipelinesRoutes(_ctx: AppContext) {
  return createRouter<MemberEnv>();
}
