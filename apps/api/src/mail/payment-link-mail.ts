import { formatMoney, type Money } from '@paylinks/core';
import type { MailLanguage } from '@paylinks/db';
import { mailText } from './mail-catalogue.js';
import type { MailMessage } from './mailer.js';

export interface PaymentLinkMailInput {
  kind: 'link' | 'reminder';
  to: string;
  language: MailLanguage;
  /** Who the payer knows: the workspace's branding display name (else its name). */
  sender: string;
  /** The branding's support email or page, when the workspace set one. */
  support: string | null;
  /** The branding's accent colour (#rrggbb, contrast-checked when saved) for the button. */
  accentColor: string | null;
  payerName: string | null;
  description: string;
  amount: Money;
  /** null: the link does not expire. */
  daysLeft: number | null;
  /** The payment page, with the link's token: only ever written into this body. */
  url: string;
  personalMessage: string | null;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const paragraphsHtml = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');

/**
 * A payment link in the payer's language, in plain text and HTML: what it is for, the amount as
 * their locale writes it, how long it stays valid, the button, and the team's optional message.
 * Every value from a person (description, names, message) is escaped in the HTML part.
 */
export function paymentLinkMail(input: PaymentLinkMailInput): MailMessage {
  const t = (key: Parameters<typeof mailText>[1], params?: Record<string, string | number>) =>
    mailText(input.language, key, params);
  const amount = formatMoney(input.amount, input.language);
  const { sender, description } = input;
  const subject = t(input.kind === 'link' ? 'mail_link_subject' : 'mail_reminder_subject', {
    sender,
    description,
  });
  const greeting = input.payerName
    ? t('mail_greeting', { name: input.payerName })
    : t('mail_greeting_anonymous');
  const intro = t(input.kind === 'link' ? 'mail_link_intro' : 'mail_reminder_intro', { sender, description });
  const amountLine = t('mail_amount_line', { amount });
  const validity = input.daysLeft === null ? t('no_expiry') : t('days_left', { count: input.daysLeft });
  const button = t('pay_button', { amount });
  const fallback = t('mail_link_fallback');
  const ignore = t('mail_paid_ignore');
  const support = input.support ? t('mail_support', { contact: input.support }) : null;
  const message = input.personalMessage?.trim() ? input.personalMessage.trim() : null;
  const messageHeading = t('mail_personal_message', { sender });

  const text = [
    greeting,
    '',
    intro,
    ...(message ? ['', messageHeading, message] : []),
    '',
    amountLine,
    validity,
    '',
    `${button}: ${input.url}`,
    '',
    ignore,
    ...(support ? [support] : []),
  ].join('\n');

  const accent = input.accentColor ?? '#1d4ed8';
  const html = [
    `<!doctype html><html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...(message
      ? [
          `<p><strong>${escapeHtml(messageHeading)}</strong></p>`,
          `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc">${paragraphsHtml(message)}</blockquote>`,
        ]
      : []),
    `<p><strong>${escapeHtml(amountLine)}</strong><br>${escapeHtml(validity)}</p>`,
    `<p><a href="${escapeHtml(input.url)}" style="display:inline-block;padding:12px 20px;background:${accent};color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(button)}</a></p>`,
    `<p>${escapeHtml(fallback)}<br><a href="${escapeHtml(input.url)}">${escapeHtml(input.url)}</a></p>`,
    `<p style="color:#555">${escapeHtml(ignore)}${support ? `<br>${escapeHtml(support)}` : ''}</p>`,
    '</body></html>',
  ].join('\n');
  return { to: input.to, subject, text, html };
}
