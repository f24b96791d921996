import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The load balancer in front of several instances, as small as a test can have it: each request goes
// to the next upstream in turn, body and answer passed through untouched. An upstream that cannot be
// reached is answered 502 by the proxy itself (what nginx does), never by an instance.

export interface RoundRobinProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** How many requests each upstream was handed, in the order of `upstreams`. */
  handed: number[];
  close(): Promise<void>;
}

/**
 * `upstreams` is read at each request, so a test may start the proxy first (its address goes into the
 * instances' PUBLIC_URL) and add the instances as they come up. `port` 0 picks a free one.
 */
export async function startRoundRobinProxy(
  upstreams: { port: number }[],
  port = 0,
): Promise<RoundRobinProxy> {
  let next = 0;
  const handed: number[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const index = next;
    next = (next + 1) % upstreams.length;
    handed[index] = (handed[index] ?? 0) + 1;
    const upstream = request(
      {
        host: '127.0.0.1',
        port: upstreams[index]!.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (outgoing.headersSent) outgoing.destroy();
      else outgoing.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable');
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${bound}`,
    handed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
