import { connect, type Socket } from 'node:net';

// One TCP connection speaking HTTP/1.1 by hand, so a test controls every byte on the wire (a body
// trickled a byte at a time, a second request on the same keep-alive connection) and sees exactly
// what the server answers and when it closes.

export interface RawResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export interface RawHttpConnection {
  socket: Socket;
  write(bytes: string | Buffer): Promise<void>;
  /** The next complete response (Content-Length bodies only); rejects if the server closes first. */
  response(): Promise<RawResponse>;
  /** Resolves when the server has closed the connection, with the time it happened. */
  closed: Promise<number>;
  destroy(): void;
}

export function openRawHttpConnection(port: number): Promise<RawHttpConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    let waiting: (() => void) | undefined;
    let ended = false;
    const closed = new Promise<number>((done) => socket.once('close', () => done(performance.now())));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      waiting?.();
    });
    const onEnd = () => {
      ended = true;
      waiting?.();
    };
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    // A reset by the server is an outcome the tests assert on, not a crash.
    socket.on('error', onEnd);

    const response = async (): Promise<RawResponse> => {
      for (;;) {
        const parsed = parseResponse(buffered);
        if (parsed) {
          buffered = buffered.subarray(parsed.length);
          return parsed.response;
        }
        if (ended) throw new Error(`connection closed before a complete response: ${buffered.toString()}`);
        await new Promise<void>((wake) => {
          waiting = wake;
        });
        waiting = undefined;
      }
    };
    const write = (bytes: string | Buffer) =>
      new Promise<void>((done, fail) => socket.write(bytes, (error) => (error ? fail(error) : done())));
    socket.once('connect', () =>
      resolve({ socket, write, response, closed, destroy: () => socket.destroy() }),
    );
    socket.once('error', reject);
  });
}

function parseResponse(bytes: Buffer): { response: RawResponse; length: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding']) throw new Error('chunked responses are not read by this helper');
  const length = Number(headers['content-length'] ?? 0);
  const bodyStart = headEnd + 4;
  if (bytes.length < bodyStart + length) return undefined;
  return {
    response: {
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: bytes.subarray(bodyStart, bodyStart + length).toString('utf8'),
    },
    length: bodyStart + length,
  };
}

/** An HTTP/1.1 request's head; the body, if any, is written separately. */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
): string {
  const lines = Object.entries({ host: 'localhost', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
