import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded data directory holds every email, session token and password hash (its first WAL
 * segment already does). PGlite writes its files 0666 and its directories 0755 by default, so the
 * directory is made the owner's alone: created 0700, everything in it 0700/0600, written under
 * umask 077. A directory that other users can already read is refused rather than silently fixed:
 * whatever it held may have been read, and the operator should know.
 */
export class DataDirectoryPermissionsError extends Error {
  readonly code = 'DATA_DIRECTORY_PERMISSIONS';
  readonly dataDir: string;
  readonly mode: number;

  constructor(dataDir: string, mode: number) {
    super(
      `The data directory ${dataDir} can be read by other users on this machine (mode ${octal(mode)}); ` +
        'it holds emails, session tokens and password hashes. Make it yours alone with ' +
        `\`chmod -R go-rwx ${dataDir}\`, then start again.`,
    );
    this.name = 'DataDirectoryPermissionsError';
    this.dataDir = dataDir;
    this.mode = mode;
  }
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Creates `dir` 0700 if it is missing; refuses one that group or others have any access to. */
export function ensurePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { mode } = statSync(dir);
  if ((mode & 0o077) !== 0) throw new DataDirectoryPermissionsError(dir, mode);
}

/** Runs `work` with umask 077, so every file PGlite creates meanwhile is the owner's alone. */
export async function withPrivateUmask<T>(work: () => Promise<T>): Promise<T> {
  // process.umask is process-wide; nothing else in the server creates files while the database opens.
  const previous = process.umask(0o077);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

/**
 * Takes group and other access off everything under `dir`: files PGlite created with an explicit
 * mode, or before this version. Symbolic links are left alone (chmod would follow them).
 */
export function makePrivate(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const { mode } = lstatSync(path);
    if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
    if (entry.isDirectory()) makePrivate(path);
  }
}
