import type { MailLanguage } from '@paylinks/db';
// The payment page's own catalogue (paraglide's inlang message format), read by the API too, so a
// payer reads the same words in the mail as on the page. esbuild inlines the files into the bundle.
import de from '../../../web/messages/de.json' with { type: 'json' };
import en from '../../../web/messages/en.json' with { type: 'json' };
import es from '../../../web/messages/es.json' with { type: 'json' };
import fr from '../../../web/messages/fr.json' with { type: 'json' };
import nl from '../../../web/messages/nl.json' with { type: 'json' };

/** A message with a plural (inlang's variant form), e.g. days_left. */
interface VariantMessage {
  declarations: string[];
  selectors: string[];
  match: Record<string, string>;
}
type Message = string | VariantMessage[];
const catalogues: Record<MailLanguage, Record<string, unknown>> = { en, de, fr, es, nl };

export type MailMessageKey =
  | 'mail_link_subject'
  | 'mail_reminder_subject'
  | 'mail_greeting'
  | 'mail_greeting_anonymous'
  | 'mail_link_intro'
  | 'mail_reminder_intro'
  | 'mail_amount_line'
  | 'mail_link_fallback'
  | 'mail_personal_message'
  | 'mail_paid_ignore'
  | 'mail_support'
  | 'pay_button'
  | 'days_left'
  | 'no_expiry';

const fill = (pattern: string, params: Record<string, string | number>) =>
  pattern.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

/**
 * One message in `language` with its placeholders filled (English when the language lacks it). A
 * plural message picks its variant by Intl.PluralRules, as paraglide does for `local x = count: plural`.
 */
export function mailText(
  language: MailLanguage,
  key: MailMessageKey,
  params: Record<string, string | number> = {},
): string {
  const message = (catalogues[language][key] ?? catalogues.en[key]) as Message | undefined;
  if (message === undefined) throw new Error(`Message ${key} is missing from the catalogue`);
  if (typeof message === 'string') return fill(message, params);
  const variant = message[0]!;
  const locals = new Map<string, string>();
  for (const declaration of variant.declarations) {
    const plural = /^local (\w+) = (\w+): plural$/.exec(declaration);
    if (plural) locals.set(plural[1]!, new Intl.PluralRules(language).select(Number(params[plural[2]!])));
  }
  const chosen = Object.entries(variant.match).find(([condition]) =>
    condition.split(',').every((part) => {
      const [name, value] = part.trim().split('=') as [string, string];
      return value === '*' || locals.get(name) === value;
    }),
  );
  if (!chosen) throw new Error(`Message ${key} has no variant for ${JSON.stringify(params)}`);
  return fill(chosen[1], params);
}
