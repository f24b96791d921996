import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody } from './http/problem.js';

// Requests Node's parser refuses before any route sees them (headers over 16 KB, a method it does not
// know, bytes that are not HTTP) got Node's bare answer without a body. Every refusal of ours is a
// problem+json with a code, so these are too; a client that already left is simply dropped.

const refusals: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'headers_too_large',
    'Request headers are limited to 16 KB.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'request_timeout',
    'The request took too long to arrive.',
  ],
};
const unreadable: [number, string, string, string] = [
  400,
  'Bad Request',
  'bad_request',
  'The request is not valid HTTP/1.1.',
];

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Mid-response (a keep-alive connection's answer still going out) a second head would corrupt it.
    const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] = refusals[error.code ?? ''] ?? unreadable;
    const body = JSON.stringify({ ...problemBody(status, { code, message }), title: reason });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
