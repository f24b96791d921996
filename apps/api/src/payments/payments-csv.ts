import type { PaylinksExecutor } from '@paylinks/db';
import type { Cursor } from '../http/pagination.js';
import { errorFields, type Logger } from '../logger.js';
import { type PaymentRow, presentPayment, selectPaymentPage } from './payment-queries.js';

/**
 * One CSV cell (RFC 4180). Every text cell is quoted: spreadsheets in locales that split on `;` or
 * TAB (de, fr, nl) would otherwise cut an unquoted "Course;=cmd" into a cell starting with `=`.
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab/CR) also gets an
 * apostrophe, so a payer-supplied description cannot run as a formula on export.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const paymentCsvHeader = [
  'id',
  'created_at',
  'status',
  'status_label',
  'amount',
  'currency',
  'description',
  'method',
  'contact',
  'contact_id',
  'deal_id',
  'link_id',
  'late',
  'duplicate',
  'confirmed_by',
  'confirmed_at',
  'confirmation_note',
  'confirmation_reference',
  // Added at the end, so spreadsheets and scripts reading columns by position keep working.
  'refunded_amount',
  'payer_email',
  'payer_phone',
] as const;

function paymentCsvRow(row: PaymentRow): string {
  const p = presentPayment(row);
  return csvLine([
    p.id,
    p.createdAt,
    p.status,
    p.statusLabel,
    p.amount.amount,
    p.amount.currency,
    p.description,
    p.method.displayName,
    p.contact.name,
    p.contact.id,
    p.dealId,
    p.linkId,
    p.late,
    p.duplicate,
    p.confirmedBy?.name ?? p.confirmedBy?.id,
    p.confirmedAt,
    row.confirmationNote,
    row.confirmationReference,
    p.refundedAmount.amount,
    // What the payer typed: a phone's leading "+" is neutralised like any formula start.
    p.payerEmail,
    p.payerPhone,
  ]);
}

/**
 * Streams every matching payment as CSV, one keyset page at a time, so an export of any size holds
 * one page in memory. Pages are read only as fast as the client takes them (pull-based).
 */
export function paymentsCsvStream(
  db: PaylinksExecutor,
  where: Parameters<typeof selectPaymentPage>[1],
  logger: Logger,
  pageSize = 500,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | undefined;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        // A BOM so spreadsheet programs read the UTF-8 names correctly.
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(paymentCsvHeader)}`));
        return;
      }
      if (done) return;
      try {
        const rows = await selectPaymentPage(db, where, { kind: 'newest', after: cursor }, pageSize);
        // The client hung up while the page was read: nobody is left to send it to.
        if (done) return;
        const page = rows.slice(0, pageSize);
        if (page.length > 0) controller.enqueue(encoder.encode(page.map(paymentCsvRow).join('')));
        const last = page.at(-1);
        if (rows.length <= pageSize || !last) {
          done = true;
          controller.close();
        } else {
          cursor = { createdAt: last.createdAt, id: last.id };
        }
      } catch (error) {
        if (done) return;
        logger.error('payments export failed', errorFields(error));
        controller.error(error);
      }
    },
    cancel() {
      done = true;
    },
  });
}
