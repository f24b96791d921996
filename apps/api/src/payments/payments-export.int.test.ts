import { payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { filterWhere } from './payment-filters.js';
import { paymentsCsvStream } from './payments-csv.js';
import {
  insertContact,
  insertLink,
  insertPayment,
  type WorkspaceFixture,
  workspaceFixture,
} from './payments-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let w: WorkspaceFixture;
let trickyId: string;
let foreignId: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  const db = app.database.db;
  owner = await app.signUp('Exporting');
  stranger = await app.signUp('Stranger');
  w = await workspaceFixture(db, owner.workspaceId);
  const contact = await insertContact(db, w, 'Smith, "Doc"');
  const link = await insertLink(db, w, { contactId: contact.id, description: '=cmd|calc\nsecond line' });
  trickyId = (await insertPayment(db, w, link, { createdAt: new Date('2026-11-25T09:00:00Z') })).id;
  // What a payer typed at checkout, a formula included, and a refunded part.
  await db
    .update(payments)
    .set({ payerEmail: '=HYPERLINK("x")@example.com', payerPhone: '+31 6 12345678', refundedMinor: 2550n })
    .where(eq(payments.id, trickyId));
  // Enough rows to need several pages of the streamed export.
  const plain = await insertLink(db, w, { contactId: contact.id, description: 'Bulk', amountMinor: 100n });
  const base = Date.parse('2026-10-01T00:00:00Z');
  await db.insert(payments).values(
    Array.from({ length: 1_050 }, (_, i) => ({
      workspaceId: w.workspaceId,
      linkId: plain.id,
      contactId: contact.id,
      methodId: w.methodId,
      status: i % 2 === 0 ? ('complete' as const) : ('cancelled' as const),
      amountMinor: 100n,
      currency: 'EUR',
      description: 'Bulk',
      createdAt: new Date(base + (i % 700) * 60_000),
    })),
  );
  const sw = await workspaceFixture(db, stranger.workspaceId);
  const sc = await insertContact(db, sw, 'Foreign');
  foreignId = (await insertPayment(db, sw, await insertLink(db, sw, { contactId: sc.id }))).id;
});
afterAll(() => app.close());

/** Splits CSV text into rows of cells, honouring quotes (good enough for what the export writes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cell = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

async function exportCsv(query = '', member = owner) {
  const response = await app.call(member, 'GET', `/api/payments/export.csv${query}`);
  return {
    response,
    rows: response.status === 200 ? parseCsv((await response.text()).replace(/^\uFEFF/, '')) : [],
  };
}

describe('GET /api/payments/export.csv', () => {
  it('streams every payment as an attachment, across pages, without repeats', async () => {
    const { response, rows } = await exportCsv();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="payments-2026-11-26.csv"',
    );
    const [header, ...data] = rows;
    expect(header).toContain('status_label');
    expect(data).toHaveLength(1_051);
    expect(new Set(data.map((r) => r[0])).size).toBe(1_051);
    expect(data.map((r) => r[0])).not.toContain(foreignId);
    expect(data[0]![0]).toBe(trickyId);
  });

  it('escapes quotes, commas and newlines and neutralises formulas', async () => {
    const { rows } = await exportCsv('?q=calc');
    const [header, tricky] = rows;
    const cell = (name: string) => tricky![header!.indexOf(name)];
    expect(rows).toHaveLength(2);
    expect(cell('description')).toBe("'=cmd|calc\nsecond line");
    expect(cell('contact')).toBe('Smith, "Doc"');
    expect(cell('amount')).toBe('125.00');
    expect(cell('currency')).toBe('EUR');
    expect(cell('status_label')).toBe('Processing');
    expect(cell('created_at')).toBe('2026-11-25T09:00:00.000Z');
    expect(cell('refunded_amount')).toBe('25.50');
    expect(cell('payer_email')).toBe('\'=HYPERLINK("x")@example.com');
    expect(cell('payer_phone')).toBe("'+31 6 12345678");
  });

  it('shows nothing refunded and empty payer cells for a payment nobody paid or refunded', async () => {
    const { rows } = await exportCsv('?q=Bulk&currency=EUR');
    const [header, first] = rows;
    expect(header!.slice(-3)).toEqual(['refunded_amount', 'payer_email', 'payer_phone']);
    expect(first!.slice(-3)).toEqual(['0.00', '', '']);
  });

  it('applies the same filters as the list', async () => {
    const completed = await exportCsv('?status=completed');
    expect(completed.rows).toHaveLength(1 + 525);
    const none = await exportCsv('?currency=JPY');
    expect(none.rows).toHaveLength(1);
  });

  it('shows another workspace only its own payments', async () => {
    const { rows } = await exportCsv('', stranger);
    expect(rows.slice(1).map((r) => r[0])).toEqual([foreignId]);
  });

  it('lets a client hang up mid-export without an error in the log', async () => {
    const logger = createMemoryLogger();
    const stream = paymentsCsvStream(app.database.db, filterWhere(owner.workspaceId, {}), logger, 100);
    const reader = stream.getReader();
    await reader.read(); // the header line
    const waiting = reader.read(); // asks for the first page
    await new Promise((resolve) => setImmediate(resolve)); // its query starts
    await reader.cancel(); // the client hangs up while that query runs
    await waiting; // on PostgreSQL the page is still being read here; in-memory PGlite may be done
    await new Promise((resolve) => setTimeout(resolve, 500)); // the page read in flight lands
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it.each([
    ['?minAmount=1', 'currency'],
    ['?from=last-week', 'from'],
    ['?status=nope', 'status'],
  ])('refuses %s before streaming', async (query, field) => {
    const { response } = await exportCsv(query);
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).field).toBe(field);
  });
});
