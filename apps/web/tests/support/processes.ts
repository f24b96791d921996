import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';

// What the kernel says about processes and connections (Linux /proc), so a test can see which
// process answered, not only that something did.

function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may hold spaces: the fields start after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state as string, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

export function runningChildrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => {
      const stat = statOf(candidate);
      return stat?.ppid === pid && stat.state !== 'Z';
    })
    .sort((a, b) => a - b);
}

const loopbackHex = (port: number) => `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;

/** The socket inode of the server's end of each connection from one of `clientPorts` to `serverPort`. */
function serverSideInodes(serverPort: number, clientPorts: number[]): Set<string> {
  const wanted = new Set(clientPorts.map(loopbackHex));
  const inodes = new Set<string>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, remote] = fields;
    if (local === loopbackHex(serverPort) && remote && wanted.has(remote)) inodes.add(fields[9] as string);
  }
  return inodes;
}

function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // Closed while we looked.
    }
  }
  return inodes;
}

/**
 * Opens `connections` connections to `url` at once, sends one request on each and, while they are
 * still open, finds which of `candidatePids` holds the server's end of each. Every answer must be 200.
 */
export async function pidsAnswering(
  url: string,
  connections: number,
  candidatePids: number[],
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    const clientPorts = await Promise.all(
      Array.from(
        { length: connections },
        () =>
          new Promise<number>((resolve, reject) => {
            const req = request(url, { agent }, (response) => {
              const clientPort = response.socket.localPort as number;
              response.resume();
              response.on('end', () =>
                response.statusCode === 200
                  ? resolve(clientPort)
                  : reject(new Error(`GET ${url} answered ${response.statusCode}`)),
              );
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    const inodes = serverSideInodes(Number(new URL(url).port), clientPorts);
    return candidatePids.filter((pid) => [...socketInodesOf(pid)].some((inode) => inodes.has(inode)));
  } finally {
    agent.destroy();
  }
}
