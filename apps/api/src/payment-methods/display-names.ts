import { type PaylinksExecutor, schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';

/**
 * Methods are picked by name when creating a link, so two of them must not look alike. A name the
 * user typed that is taken is refused; the provider's default name gets a number instead
 * ("Sandbox 2"). Compared case-insensitively. `exceptId` is the method being renamed.
 */
export async function uniqueDisplayName(
  db: PaylinksExecutor,
  workspaceId: string,
  name: string,
  options: { explicit: boolean; exceptId?: string },
): Promise<string> {
  const rows = await db
    .select({ id: schema.paymentMethods.id, displayName: schema.paymentMethods.displayName })
    .from(schema.paymentMethods)
    .where(eq(schema.paymentMethods.workspaceId, workspaceId));
  const taken = new Set(
    rows.filter((r) => r.id !== options.exceptId).map((r) => r.displayName.toLowerCase()),
  );
  if (!taken.has(name.toLowerCase())) return name;
  if (options.explicit) {
    throw new ProblemError(409, {
      code: 'display_name_taken',
      field: 'displayName',
      message: `Another payment method is already called "${name}".`,
    });
  }
  for (let n = 2; ; n++) {
    const candidate = `${name} ${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
