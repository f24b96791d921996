import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from 'better-auth/crypto';
import type { PasswordHashing } from '../auth/auth.js';

const prefix = 'test-sha256';

/**
 * For the in-process test app only: a salted SHA-256 instead of better-auth's scrypt, which costs
 * ~200-300 ms of CPU per sign-up, sign-in and password change, and test files make hundreds of
 * them. Wrong passwords are still refused; production's scrypt is what server processes
 * (server-process.ts) and the web app's journeys run.
 */
export const testPasswordHashing: PasswordHashing = {
  hash: async (password) => {
    const salt = randomBytes(16).toString('hex');
    return `${prefix}:${salt}:${digest(salt, password).toString('hex')}`;
  },
  verify: async ({ hash, password }) => {
    const [kind, salt, expected] = hash.split(':');
    // A hash written some other way (better-auth's own hashPassword, say) is checked as production would.
    if (kind !== prefix || salt === undefined || expected === undefined)
      return verifyPassword({ hash, password });
    return timingSafeEqual(digest(salt, password), Buffer.from(expected, 'hex'));
  },
};

function digest(salt: string, password: string): Buffer {
  return createHash('sha256').update(salt).update(password.normalize('NFKC')).digest();
}
