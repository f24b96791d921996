import { contacts } from '@paylinks/db';
import { or, type SQL, sql } from 'drizzle-orm';

/** LIKE treats % and _ as wildcards and \ as the escape; a user's "50%" must match only "50%". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export interface SearchTerms {
  /** Escaped LIKE pattern matching the text anywhere. */
  pattern: string;
  /** Digits to find in the stored E.164 number, when the query looks like a phone number. */
  phoneDigits: string | null;
}

/**
 * What a search box query means. Phone numbers are stored as E.164, so a typed "06 1234" or
 * "0031 6 1234" is reduced to its digits without the leading zeros (trunk or international prefix),
 * which then appear inside "+31612345678".
 */
export function searchTerms(query: string): SearchTerms {
  const phoneLike = /^[\d\s().+-]+$/.test(query);
  const digits = query.replace(/\D/g, '').replace(/^0+/, '');
  return {
    pattern: `%${escapeLike(query)}%`,
    phoneDigits: phoneLike && digits.length > 0 ? digits : null,
  };
}

/**
 * Substring rather than prefix search: users look people up by surname ("Lovelace" for
 * "Ada Lovelace") and by email domain. It cannot use the prefix indexes, but the list walks
 * (workspace_id, created_at, id) newest first and stops after one page of matches, which is
 * cheap at the size of one team's contact book.
 */
export function contactSearchCondition(query: string): SQL | undefined {
  const { pattern, phoneDigits } = searchTerms(query);
  return or(
    sql`lower(${contacts.name}) like lower(${pattern}) escape '\\'`,
    sql`lower(${contacts.email}) like lower(${pattern}) escape '\\'`,
    phoneDigits === null ? undefined : sql`${contacts.phone} like ${`%${phoneDigits}%`}`,
  );
}
