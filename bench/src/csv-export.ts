import type { Measurement } from './load';
import type { ServerProcess } from './server-process';

/**
 * Downloads an export for at most `seconds` (or to its end) on one connection and counts its rows:
 * a rate in rows per second, with the server's CPU and statements per row.
 */
export async function measureExport(
  server: ServerProcess,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<Measurement> {
  const statementsBefore = await server.statements();
  const cpuBefore = server.cpuMs();
  const controller = new AbortController();
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  let lines = 0;
  let firstByteMs = 0;
  let status = 0;
  try {
    const response = await fetch(`${server.baseUrl}${path}`, { headers, signal: controller.signal });
    status = response.status;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstByteMs === 0) firstByteMs = performance.now() - started;
      for (const byte of value) if (byte === 10) lines++;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuMs();
  const statementsAfter = await server.statements();
  // The product's export starts with a header line.
  const rows = Math.max(0, lines - (path.includes('/api/') ? 1 : 0));
  return {
    requests: rows,
    requestsPerSecond: rows / elapsedSeconds,
    p50Ms: firstByteMs,
    p99Ms: firstByteMs,
    cpuMsPerRequest: rows > 0 ? (cpuAfter - cpuBefore) / rows : 0,
    statementsPerRequest: rows > 0 ? (statementsAfter - statementsBefore) / rows : 0,
    residentMb: server.residentBytes() / 2 ** 20,
    non2xx: status >= 200 && status < 300 ? 0 : 1,
    errors: 0,
    statusCodes: { [String(status)]: 1 },
  };
}
