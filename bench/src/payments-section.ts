import { type SQL, sql } from 'drizzle-orm';

// The Payments section's three pages, as the product is asked for them and as the raw SQL the
// baseline runs for the same rows. The SQL is the query apps/api/src/payments/payment-queries.ts
// builds (selectPayments + selectPaymentPage, the section's joins and keyset order), written out.

export type SectionPage = 'first' | 'deep' | 'filtered';
export const sectionPages: readonly SectionPage[] = ['first', 'deep', 'filtered'];

export const PAGE_SIZE = 50;
/** The CSV export reads the list in pages of this size (payments-csv.ts). */
export const EXPORT_PAGE_SIZE = 500;

export interface SectionShape {
  workspaceId: string;
  /** ISO time of the newest history payment, and the step between two. */
  newest: string;
  stepSeconds: number;
  count: number;
}

const NEWEST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** A keyset cursor nine tenths of the way down the history, in the API's own cursor format. */
export function deepCursor(shape: SectionShape): { createdAt: string; id: string } {
  const at = new Date(shape.newest).getTime() - Math.floor(shape.count * 0.9) * shape.stepSeconds * 1000;
  return { createdAt: new Date(at).toISOString(), id: NEWEST_ID };
}

/** Returned payments of the last six months: a filter a team uses, on an index the section has. */
export function filterFrom(shape: SectionShape): string {
  return new Date(new Date(shape.newest).getTime() - 182 * 86_400_000).toISOString();
}

/** The product's URL for a page (path and query). */
export function sectionPath(page: SectionPage, shape: SectionShape): string {
  switch (page) {
    case 'first':
      return `/api/payments?limit=${PAGE_SIZE}`;
    case 'deep': {
      const cursor = deepCursor(shape);
      const encoded = Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
      return `/api/payments?limit=${PAGE_SIZE}&cursor=${encoded}`;
    }
    case 'filtered':
      return `/api/payments?limit=${PAGE_SIZE}&status=returned&from=${encodeURIComponent(filterFrom(shape))}`;
    default: {
      const unknown: never = page;
      throw new Error(`unknown page ${String(unknown)}`);
    }
  }
}

const selectList = sql`
  select p.id, p.status, p.amount_minor::text as amount_minor, p.currency, p.description,
    m.id as method_id, m.display_name as method_name, m.provider_id, c.id as contact_id,
    c.name as contact_name, p.deal_id, p.link_id, p.is_late, p.is_duplicate, p.created_at,
    p.updated_at, p.confirmed_by, u.name as confirmed_by_name, p.confirmed_at,
    p.confirmation_note, p.confirmation_reference
  from payments p
  join payment_methods m on m.workspace_id = p.workspace_id and m.id = p.method_id
  join contacts c on c.workspace_id = p.workspace_id and c.id = p.contact_id
  join payment_links l on l.workspace_id = p.workspace_id and l.id = p.link_id
  left join "user" u on u.id::text = p.confirmed_by`;

function where(page: SectionPage, shape: SectionShape, after?: { createdAt: string; id: string }): SQL {
  const conditions: SQL[] = [sql`p.workspace_id = ${shape.workspaceId}`];
  if (page === 'filtered') {
    conditions.push(sql`p.status in ('returned')`, sql`p.created_at >= ${filterFrom(shape)}::timestamptz`);
  }
  const cursor = after ?? (page === 'deep' ? deepCursor(shape) : undefined);
  if (cursor)
    conditions.push(sql`(p.created_at, p.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
  return sql.join(conditions, sql` and `);
}

/** One page of the section, limit + 1 rows as the API asks for. */
export function sectionPageSql(
  page: SectionPage,
  shape: SectionShape,
  limit = PAGE_SIZE,
  after?: { createdAt: string; id: string },
): SQL {
  return sql`${selectList} where ${where(page, shape, after)}
    order by p.created_at desc, p.id desc limit ${limit + 1}`;
}
