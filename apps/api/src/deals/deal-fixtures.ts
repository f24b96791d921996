import { insertContact as insertFixtureContact, workspaceFixture } from '../payments/payments-fixtures.js';
import type { TestApp, TestMember } from '../testing/test-app.js';

/** A contact's id, in the member's workspace: the pipelines tests name contacts by id alone. */
export async function insertContact(
  app: TestApp,
  member: TestMember,
  name = 'Ada Lovelace',
): Promise<string> {
  const { db } = app.database;
  const w = await workspaceFixture(db, member.workspaceId);
  return (await insertFixtureContact(db, w, name, 'ada@example.com')).id;
}

/** The workspace's pipelines as the API lists them (sign-up makes the first one). */
// biome-ignore lint/suspicious/noExplicitAny: a JSON body in tests, read like `const body: any = await response.json()`.
export async function pipelinesOf(app: TestApp, member: TestMember): Promise<any[]> {
  const body = (await (await app.call(member, 'GET', '/api/pipelines')).json()) as { pipelines: unknown[] };
  if (body.pipelines.length === 0) throw new Error('the workspace has no pipeline');
  return body.pipelines;
}
