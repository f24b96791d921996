import { schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import { type TestApp, type TestMember, testOrigin } from '../testing/test-app.js';

/** The password app.signUp gives every owner it makes. */
export const signUpPassword = 'correct horse battery staple';

export const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');

export function signIn(app: TestApp, email: string, password = signUpPassword) {
  return app.request('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { origin: testOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

/** A fresh session for `member`, as a second browser would have it. */
export async function signInAgain(app: TestApp, member: TestMember, password = signUpPassword) {
  const response = await signIn(app, member.email, password);
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return { ...member, headers: { cookie: cookieOf(response), origin: testOrigin } };
}

/**
 * A team member of `owner`'s workspace with `role`, signed in there. Made from a sign-up whose own
 * membership is moved over, so it does not lean on the member-management routes these tests guard.
 */
export async function joinWorkspace(
  app: TestApp,
  owner: TestMember,
  role: 'admin' | 'member',
): Promise<TestMember> {
  const joined = await app.signUp(`${role}'s own`);
  await app.database.db
    .update(schema.member)
    .set({ organizationId: owner.workspaceId, role })
    .where(eq(schema.member.userId, joined.userId));
  return signInAgain(app, { ...joined, workspaceId: owner.workspaceId });
}
