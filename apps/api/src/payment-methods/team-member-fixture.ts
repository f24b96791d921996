import type { TestApp, TestMember } from '../testing/test-app.js';

/** Adds a team member with `role` to the owner's workspace (invited, then accepting) and signs them in. */
export function addTeamMember(
  app: TestApp,
  owner: TestMember,
  role: 'admin' | 'member',
): Promise<TestMember> {
  return app.addMember(owner, role);
}
