import autocannon from 'autocannon';
import type { ServerProcess } from './server-process';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What one scenario asks: the next request each time (fixtures rotate through it). */
export type NextRequest = () => BenchRequest;

export interface LoadSettings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface Measurement {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system, all its processes) divided by the requests answered. */
  cpuMsPerRequest: number;
  statementsPerRequest: number;
  /** The server's resident memory right after the scenario. */
  residentMb: number;
  /** Answers other than 2xx, and connection errors: a scenario that has any measured something else. */
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

async function fire(baseUrl: string, next: NextRequest, seconds: number, connections: number) {
  return autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const chosen = next();
          return {
            ...request,
            method: chosen.method,
            path: chosen.path,
            headers: chosen.headers ?? {},
            ...(chosen.body === undefined ? {} : { body: chosen.body }),
          };
        },
      },
    ],
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

/** Warms the route up, then loads it for the set time and reads what the server spent on it. */
export async function measure(
  server: ServerProcess,
  next: NextRequest,
  settings: LoadSettings,
): Promise<Measurement> {
  if (settings.warmupSeconds > 0)
    await fire(server.baseUrl, next, settings.warmupSeconds, settings.connections);
  // Requests still running when a run stops finish on the server: let them, outside both counts.
  await settle();
  const statementsBefore = await server.statements();
  const cpuBefore = server.cpuMs();
  const result = await fire(server.baseUrl, next, settings.durationSeconds, settings.connections);
  await settle();
  const cpuAfter = server.cpuMs();
  const statementsAfter = await server.statements();
  const requests = result['2xx'] + result.non2xx;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
  return {
    requests,
    requestsPerSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: requests > 0 ? (cpuAfter - cpuBefore) / requests : 0,
    statementsPerRequest: requests > 0 ? (statementsAfter - statementsBefore) / requests : 0,
    residentMb: server.residentBytes() / 2 ** 20,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}

/** Round-robin over a fixture list, so every request of a run gets the next one. */
export function rotate<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to rotate over');
  let index = 0;
  return () => items[index++ % items.length]!;
}

/** Each fixture once, in order; past the end the last one repeats (the run then reports non-2xx). */
export function consume<T>(items: readonly T[]): { next: () => T; used: () => number } {
  if (items.length === 0) throw new Error('nothing to consume');
  let index = 0;
  return {
    next: () => items[Math.min(index++, items.length - 1)]!,
    used: () => Math.min(index, items.length),
  };
}
