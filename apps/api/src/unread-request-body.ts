import type { IncomingMessage, ServerResponse } from 'node:http';

/** The most of a refused request's body the server reads and drops to keep its connection. */
export const MAX_DISCARDED_BODY_BYTES = 1024 * 1024;

/**
 * A handler may answer before it has read the body: a 413 for an oversized webhook, a 404 for an
 * unknown one, any refusal that comes first. Node serves the connection's next request only once
 * the rest of that body is off the wire, and Hono's stream adapter keeps the request paused while
 * nobody reads it, so the connection would stall (and be cut) after an answer that said keep-alive.
 *
 * Call it when the request arrives. A request that declares a body too large to drop is answered
 * with `Connection: close`; otherwise what is left of the body after the answer is read and dropped,
 * and the connection serves the next request. A chunked body that turns out too large, or a rest
 * that does not arrive within `timeoutMs`, closes the connection.
 */
export function keepConnectionAfterEarlyAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  timeoutMs: number,
): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DISCARDED_BODY_BYTES) res.setHeader('connection', 'close');
  res.once('finish', () => {
    if (!req.complete && !req.destroyed) discardRest(req, timeoutMs);
  });
}

function discardRest(req: IncomingMessage, timeoutMs: number): void {
  let discarded = 0;
  const cut = () => {
    stop();
    req.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BODY_BYTES) cut();
  };
  const timer = setTimeout(cut, timeoutMs);
  timer.unref();
  const stop = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', stop);
    req.off('close', stop);
  };
  // The adapter's listener would pause the request again at its next chunk; its stream is done with.
  req.removeAllListeners('data');
  req.on('data', onData);
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}
