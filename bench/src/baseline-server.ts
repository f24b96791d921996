// The bench's bare server: the least a route can do on the same database — one INSERT, one query —
// so the product's figures have something to be divided by. Run as its own process by baseline.ts
// (its CPU and memory are read from /proc like the product's). Answers SIGUSR2 with its statement
// count, the same line the product logs with PAYLINKS_COUNT_STATEMENTS=1.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { openDatabase, selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import {
  EXPORT_PAGE_SIZE,
  type SectionPage,
  type SectionShape,
  sectionPageSql,
  sectionPages,
} from './payments-section';

interface BaselineConfig {
  databaseUrl?: string;
  dataDir?: string;
  port: number;
  staticDir: string;
  section: SectionShape;
  /** The ids an INSERT writes, taken from the product's own rows so the row is the same size. */
  row: { workspaceId: string; linkId: string; contactId: string; methodId: string };
}

const config = JSON.parse(process.env.BENCH_BASELINE ?? '{}') as BaselineConfig;
const database = await openDatabase({
  ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir! }),
  migrate: false,
});
let statements = 0;
database.observeStatements(() => {
  statements++;
});
const report = () =>
  console.log(JSON.stringify({ level: 'info', message: 'statement count', statements, pid: process.pid }));
process.on('SIGUSR2', report);
report();

const { db } = database;
const app = new Hono();
const userAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

/** A JSON body of exactly `bytes` bytes (or the smallest one that holds the id). */
function paddedBody(id: string, bytes: number): string {
  const bare = JSON.stringify({ id, pad: '' });
  return JSON.stringify({ id, pad: 'x'.repeat(Math.max(0, bytes - bare.length)) });
}

app.get('/health', (c) => c.json({ status: 'ok' }));

app.on(['GET', 'POST'], '/insert', async (c) => {
  // A POST's body is read and parsed, as the product's routes do before their work.
  if (c.req.method === 'POST') JSON.parse(await c.req.text());
  const now = new Date().toISOString();
  const { row } = config;
  const [inserted] = await selectRows<{ id: string }>(
    db,
    sql`insert into bench_payments (workspace_id, link_id, contact_id, method_id, status, amount_minor,
          currency, description, clicked_at, click_visitor_key, click_user_agent, created_at, updated_at,
          status_changed_at)
        values (${row.workspaceId}, ${row.linkId}, ${row.contactId}, ${row.methodId}, 'processing', 123456,
          'EUR', 'Spring course deposit', ${now}::timestamptz, ${randomUUID()}, ${userAgent},
          ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
        returning id`,
  );
  const body = paddedBody(inserted!.id, Number(c.req.query('bytes') ?? 0));
  return c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
});

app.get('/section/export.csv', (c) => {
  c.header('content-type', 'text/csv; charset=utf-8');
  return stream(c, async (out) => {
    let after: { createdAt: string; id: string } | undefined;
    // Stops with the client, as the product's pull-based stream does.
    while (!out.aborted) {
      const rows = await selectRows<Record<string, unknown>>(
        db,
        sectionPageSql('first', config.section, EXPORT_PAGE_SIZE, after),
      );
      const page = rows.slice(0, EXPORT_PAGE_SIZE);
      await out.write(page.map(csvLine).join(''));
      const last = page.at(-1);
      if (rows.length <= EXPORT_PAGE_SIZE || !last) return;
      after = { createdAt: new Date(last.created_at as string).toISOString(), id: String(last.id) };
    }
  });
});

app.get('/section/:page', async (c) => {
  const page = c.req.param('page') as SectionPage;
  if (!sectionPages.includes(page)) return c.notFound();
  const rows = await selectRows(db, sectionPageSql(page, config.section));
  return c.json({ items: rows.slice(0, 50), nextCursor: rows.length > 50 ? 'more' : null });
});

app.use('/static/*', serveStatic({ root: config.staticDir, rewriteRequestPath: (path) => path.slice(7) }));

function csvLine(row: Record<string, unknown>): string {
  const cells = Object.values(row).map((value) =>
    value === null || value === undefined
      ? ''
      : `"${String(value instanceof Date ? value.toISOString() : value).replaceAll('"', '""')}"`,
  );
  return `${cells.join(',')}\r\n`;
}

const server = serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' });
const stop = () => {
  server.close();
  void database.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
