import type { components } from '$lib/api/schema';

export type PaymentLink = components['schemas']['PaymentLink'];
export type Payment = components['schemas']['Payment'];
export type PaymentDetail = components['schemas']['PaymentDetail'];
export type PaymentMethod = components['schemas']['PaymentMethod'];
export type LinkMail = components['schemas']['LinkMail'];
export type PaymentStatus = Payment['status'];

/** Whose Payments tab it is: a contact card, or a deal (whose contact pays). */
export type TabTarget = { contactId: string } | { dealId: string };

/** A link as the tab shows it: with its QR code, drawn on the server (no script, no image host). */
export type TabLink = PaymentLink & { qrSvg: string; mails: LinkMail[] };

export interface PaymentsTabData {
  origin: 'contact' | 'deal';
  contactId: string;
  dealId: string | null;
  /** The contact who pays: the deal's contact, or the card's own. */
  payer: { name: string; email: string | null };
  /** Methods a new link may use: connected, enabled, their plugin installed. */
  methods: { id: string; displayName: string; mode: 'test' | 'live'; currencies: 'all' | string[] }[];
  /** Payment types offered; only Custom until a type plugin is installed. */
  types: PaymentTypeChoice[];
  links: TabLink[];
  payments: Payment[];
  /** Older payments, and back to the newest: the cursor lives in the URL, so paging needs no script. */
  paymentsNextHref: string | null;
  paymentsFirstHref: string | null;
  /** Owners and admins may refund; the API checks it again. */
  canRefund: boolean;
  /** A fresh key per rendered form: a double submit or a retry creates one link, not two. */
  idempotencyKey: string;
  locale: string;
  /** Whether the server can mail links (SMTP_URL), and the reminder a new link starts with. */
  mail: { smtpConfigured: boolean; defaultReminderDays: number | null };
}

/** A payment type and, for a type like EDU, what it sells (a course): its price and description. */
export interface PaymentTypeChoice {
  id: string;
  label: string;
  options?: {
    id: string;
    label: string;
    amount: { amount: string; currency: string };
    description: string;
  }[];
}

/** What a refused form sends back: the typing, each API message by its field, the rest above. */
export interface Refusal {
  values: Record<string, string>;
  fieldErrors: Record<string, string>;
  message?: string;
}

/** The answers of the tab's actions, told apart by `action`. */
export type PaymentsTabResult =
  | ({ action: 'createLink'; created?: undefined } & Refusal)
  | { action: 'createLink'; created: TabLink }
  | { action: 'deleteLink'; confirmDelete: { linkId: string; description: string } }
  | { action: 'deleteLink'; deleted: { linkId: string; description: string } }
  | { action: 'deleteLink'; linkId: string; message: string }
  | ({ action: 'sendLinkMail'; linkId: string; queued?: undefined } & Refusal)
  | { action: 'sendLinkMail'; linkId: string; queued: { to: string } }
  | ({ action: 'confirmPayment'; paymentId: string; confirmed?: undefined } & Refusal)
  | { action: 'confirmPayment'; paymentId: string; confirmed: true }
  /** returned: all of it is back; partly: a part is back, the rest still held; pending: the provider settles it. */
  | { action: 'refundPayment'; paymentId: string; refunded: 'returned' | 'partly' | 'pending' }
  | {
      action: 'refundPayment';
      paymentId: string;
      message: string;
      /** `amount` when the message is about the amount typed. */
      field?: string;
      typed: { amount: string; reason: string };
      refunded?: undefined;
    };

const actionNames = new Set(['createLink', 'deleteLink', 'sendLinkMail', 'confirmPayment', 'refundPayment']);

/**
 * The page's `form` narrowed to this tab's answers. A page with other actions of its own passes its
 * whole `form`; anything that is not ours is ignored.
 */
export function tabResult(form: unknown): PaymentsTabResult | undefined {
  if (typeof form !== 'object' || form === null) return undefined;
  const action = (form as { action?: unknown }).action;
  return typeof action === 'string' && actionNames.has(action) ? (form as PaymentsTabResult) : undefined;
}
