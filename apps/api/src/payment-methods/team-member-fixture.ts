import { randomUUID } from 'node:crypto';
import { type TestApp, type TestMember, testOrigin } from '../testing/test-app.js';

/** Adds a team member with `role` to the owner's workspace and signs them in. */
export async function addTeamMember(
  app: TestApp,
  owner: TestMember,
  role: 'admin' | 'member',
): Promise<TestMember> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const added = (await (
    await app.call(owner, 'POST', '/api/members', { email, name: role, role })
  ).json()) as {
    member: { userId: string };
    temporaryPassword: string;
  };
  const signedIn = await app.request('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { origin: testOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: added.temporaryPassword }),
  });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status}`);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  return {
    userId: added.member.userId,
    workspaceId: owner.workspaceId,
    email,
    headers: { cookie, origin: testOrigin },
  };
}
