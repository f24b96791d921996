import http from 'node:http';

/** A phone browser opening a payment link: what makes a visit count as a click-through. */
export const browserHeaders = {
  'user-agent':
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
  'accept-language': 'de-DE,de;q=0.9',
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
};

export interface Transfer {
  path: string;
  bytes: number;
  encoding: string;
}

export interface PageWeight {
  html: Transfer;
  assets: Transfer[];
  /** Bytes as sent (compressed where the server compresses), by kind. */
  htmlBytes: number;
  jsBytes: number;
  cssBytes: number;
  /** Images the page shows (a workspace's logo): outside the 30 KB JS + CSS budget, reported beside it. */
  imageBytes: number;
  /** The HTML without compression: the size the static baseline file is made of. */
  identityHtmlBytes: number;
}

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

/**
 * What a browser downloads for a payment page, as transferred: the HTML, then every script and
 * stylesheet it links, asked for with `Accept-Encoding: br, gzip` as browsers do. Each call opens
 * the page as a new visitor, so pass a token whose click-through budget can take it.
 */
export async function measurePageWeight(baseUrl: string, tokens: () => string): Promise<PageWeight> {
  const compressed = { ...browserHeaders, 'accept-encoding': 'br, gzip' };
  const pagePath = `/pay/${tokens()}`;
  const page = await get(`${baseUrl}${pagePath}`, compressed);
  if (page.status !== 200) throw new Error(`${pagePath} answered ${page.status}`);
  const identity = await get(`${baseUrl}/pay/${tokens()}`, browserHeaders);
  const body = identity.raw.toString();
  const assetPaths = [
    ...new Set(
      [...body.matchAll(/<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"/g)]
        .concat([...body.matchAll(/import\("([^"]+\.js)"\)/g)])
        .concat([...body.matchAll(/<img[^>]+src="([^"]+)"/g)])
        .map((match) => new URL(match[1]!, `${baseUrl}${pagePath}`).pathname),
    ),
  ];
  const assets: Transfer[] = [];
  for (const path of assetPaths) {
    const answer = await get(`${baseUrl}${path}`, { 'accept-encoding': 'br, gzip' });
    assets.push({
      path,
      bytes: answer.raw.length,
      encoding: String(answer.headers['content-encoding'] ?? 'identity'),
    });
  }
  const sum = (suffix: string) =>
    assets.filter((a) => a.path.endsWith(suffix)).reduce((total, a) => total + a.bytes, 0);
  const html = {
    path: pagePath,
    bytes: page.raw.length,
    encoding: String(page.headers['content-encoding'] ?? 'identity'),
  };
  return {
    html,
    assets,
    htmlBytes: html.bytes,
    jsBytes: sum('.js'),
    cssBytes: sum('.css'),
    imageBytes: assets
      .filter((a) => !a.path.endsWith('.js') && !a.path.endsWith('.css'))
      .reduce((total, a) => total + a.bytes, 0),
    identityHtmlBytes: identity.raw.length,
  };
}
