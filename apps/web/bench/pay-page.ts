// `pnpm bench`: the payment page's weight and server time, against a static file of about the same
// size (static/bench-reference.html) served by the same server in the same run. A report, not a test.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { buildIfStale } from '../tests/support/build-if-stale';
import { startWebServer } from '../tests/support/web-server';

const webDir = join(import.meta.dirname, '..');
const REQUESTS = 400;
const WARMUP = 40;

buildIfStale(join(webDir, '..', 'api'), 'dist/embedded.js', [
  'src',
  'build.mjs',
  '../../packages',
  '../../plugins',
]);
buildIfStale(webDir, 'build/index.js', [
  'src',
  'static',
  'svelte.config.js',
  'vite.config.ts',
  '../api/dist',
]);

// Every request comes from 127.0.0.1: lift the per-address limits for the run.
const server = await startWebServer({
  PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '1000000',
  PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '1000000',
});
const base = new URL(server.baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  body: string;
}

function request(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        agent,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes: raw.length,
            body: raw.toString(),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function createLink(): Promise<string> {
  const json = { 'content-type': 'application/json', origin: server.baseUrl };
  const signUp = await request('/api/signup', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      name: 'Bench',
      email: `bench-${randomUUID()}@example.com`,
      password: 'a long password for the bench',
      workspaceName: 'Bench',
    }),
  });
  const cookie = (signUp.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
  const api = async (path: string, body?: unknown) =>
    JSON.parse(
      (
        await request(path, {
          method: body ? 'POST' : 'GET',
          headers: { ...json, cookie },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
      ).body,
    );
  const contact = await api('/api/contacts', { name: 'Grace Payer', email: 'grace@example.com' });
  const methods = await api('/api/payment-methods');
  const link = await api('/api/payment-links', {
    origin: 'contact',
    contactId: contact.id,
    methodId: methods.paymentMethods[0].id,
    amount: '1234.56',
    currency: 'EUR',
    description: 'Spring course deposit',
    validityDays: 7,
    type: 'custom',
  });
  return new URL(link.url).pathname;
}

const browserHeaders = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  'accept-language': 'de-DE,de;q=0.9',
  'sec-fetch-dest': 'document',
  'accept-encoding': 'br, gzip',
};

/** Server time of `REQUESTS` sequential requests on one keep-alive connection, in milliseconds. */
async function time(path: string, headers: Record<string, string>) {
  for (let i = 0; i < WARMUP; i++) await request(path, { headers });
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = process.hrtime.bigint();
    const answer = await request(path, { headers });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { median: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

try {
  const pagePath = await createLink();
  // The first visit records the click-through and sets the visitor cookie; the timed ones are refreshes.
  const first = await request(pagePath, { headers: browserHeaders });
  const cookie = (first.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
  const visit = { ...browserHeaders, cookie };
  const page = await request(pagePath, { headers: visit });
  const assets = [...page.body.matchAll(/<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"/g)].map(
    (match) => new URL(match[1]!, new URL(pagePath, server.baseUrl)).pathname,
  );
  const rows: [string, string, string][] = [
    ['HTML', kb(page.bytes), String(page.headers['content-encoding'] ?? 'identity')],
  ];
  let assetBytes = 0;
  for (const asset of assets) {
    const answer = await request(asset, { headers: { 'accept-encoding': 'br, gzip' } });
    assetBytes += answer.bytes;
    rows.push([
      asset.split('/').pop()!,
      kb(answer.bytes),
      String(answer.headers['content-encoding'] ?? 'identity'),
    ]);
  }
  const reference = await request('/bench-reference.html', { headers: { 'accept-encoding': 'identity' } });

  console.log('\nPayment page weight (as transferred)');
  console.table(rows.map(([what, size, encoding]) => ({ what, size, encoding })));
  console.log(
    `JS + CSS: ${kb(assetBytes)} compressed (budget 30 KB); scripts: ${assets.filter((a) => a.endsWith('.js')).length}`,
  );

  // Both without compression, so the comparison is rendering and the API call against a file read.
  const identity = { ...visit, 'accept-encoding': 'identity' };
  const pageTime = await time(pagePath, identity);
  const fileTime = await time('/bench-reference.html', { 'accept-encoding': 'identity' });
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(`\nServer time, ${REQUESTS} sequential requests each on one keep-alive connection`);
  console.table({
    [`/pay/<token> (${kb(page.bytes)})`]: {
      median: ms(pageTime.median),
      p95: ms(pageTime.p95),
      mean: ms(pageTime.mean),
    },
    [`static file (${kb(reference.bytes)})`]: {
      median: ms(fileTime.median),
      p95: ms(fileTime.p95),
      mean: ms(fileTime.mean),
    },
  });
  console.log(`SSR / static, median: ${(pageTime.median / fileTime.median).toFixed(1)}×\n`);
} finally {
  agent.destroy();
  await server.stop();
}
