import { mollieCurrencyDecimals } from '../mollie-money.js';
import { formatMinor, type SimulatedPayment, type SimulatedRefund } from './simulator-store.js';

const DOCS = 'https://docs.mollie.com/reference';

/** A Mollie API error body: `{ status, title, detail, field?, _links }`. */
export function errorBody(status: number, detail: string, field?: string) {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    422: 'Unprocessable Entity',
    500: 'Internal Server Error',
  };
  return {
    status,
    title: titles[status] ?? 'Error',
    detail,
    ...(field === undefined ? {} : { field }),
    _links: { documentation: { href: `${DOCS}/handling-errors`, type: 'text/html' } },
  };
}

export function remaining(payment: SimulatedPayment) {
  const decimals = mollieCurrencyDecimals[payment.amount.currency] ?? 2;
  const minor = (value: string | undefined) => (value ? BigInt(value.replace('.', '')) : 0n);
  const left =
    minor(payment.amount.value) -
    minor(payment.amountRefunded?.value) -
    minor(payment.amountChargedBack?.value);
  return { currency: payment.amount.currency, value: formatMinor(left > 0n ? left : 0n, decimals) };
}

/** A v2 payment as Mollie returns it, `_links.checkout` while the payer can still pay. */
export function paymentJson(
  payment: SimulatedPayment,
  baseUrl: string,
  options: { embedRefunds?: boolean } = {},
) {
  const open = payment.status === 'open';
  const paid = payment.status === 'paid';
  return {
    resource: 'payment',
    id: payment.id,
    mode: payment.apiKey.startsWith('live_') ? 'live' : 'test',
    createdAt: payment.createdAt,
    amount: payment.amount,
    description: payment.description,
    method: null,
    metadata: payment.metadata ?? null,
    status: payment.status,
    isCancelable: open && payment.cancelable,
    ...(open ? { expiresAt: new Date(Date.parse(payment.createdAt) + 15 * 60_000).toISOString() } : {}),
    ...(payment.paidAt ? { paidAt: payment.paidAt } : {}),
    ...(payment.canceledAt ? { canceledAt: payment.canceledAt } : {}),
    ...(payment.expiredAt ? { expiredAt: payment.expiredAt } : {}),
    ...(payment.failedAt ? { failedAt: payment.failedAt } : {}),
    ...(paid
      ? {
          amountRefunded: payment.amountRefunded ?? {
            currency: payment.amount.currency,
            value: formatMinor(0n, mollieCurrencyDecimals[payment.amount.currency] ?? 2),
          },
          amountRemaining: remaining(payment),
          ...(payment.amountChargedBack ? { amountChargedBack: payment.amountChargedBack } : {}),
        }
      : {}),
    profileId: 'pfl_simulator',
    sequenceType: 'oneoff',
    ...(payment.redirectUrl ? { redirectUrl: payment.redirectUrl } : {}),
    ...(payment.webhookUrl ? { webhookUrl: payment.webhookUrl } : {}),
    // `embed=refunds`: Mollie lists the payment's refunds (none: the key is left out).
    ...(options.embedRefunds && payment.refunds.length > 0
      ? { _embedded: { refunds: payment.refunds.map((refund) => refundJson(refund, baseUrl)) } }
      : {}),
    _links: {
      self: { href: `${baseUrl}/v2/payments/${payment.id}`, type: 'application/hal+json' },
      ...(open ? { checkout: { href: `${baseUrl}/checkout/${payment.id}`, type: 'text/html' } } : {}),
      dashboard: { href: `${baseUrl}/dashboard/payments/${payment.id}`, type: 'text/html' },
      documentation: { href: `${DOCS}/get-payment`, type: 'text/html' },
    },
  };
}

export function refundJson(refund: SimulatedRefund, baseUrl: string) {
  return {
    resource: 'refund',
    id: refund.id,
    amount: refund.amount,
    status: refund.status,
    createdAt: refund.createdAt,
    description: '',
    metadata: null,
    paymentId: refund.paymentId,
    _links: {
      self: {
        href: `${baseUrl}/v2/payments/${refund.paymentId}/refunds/${refund.id}`,
        type: 'application/hal+json',
      },
      payment: { href: `${baseUrl}/v2/payments/${refund.paymentId}`, type: 'application/hal+json' },
      documentation: { href: `${DOCS}/create-refund`, type: 'text/html' },
    },
  };
}

export function methodsJson(baseUrl: string) {
  const method = (id: string, description: string) => ({
    resource: 'method',
    id,
    description,
    status: 'activated',
    _links: { self: { href: `${baseUrl}/v2/methods/${id}`, type: 'application/hal+json' } },
  });
  const methods = [
    method('creditcard', 'Card'),
    method('ideal', 'iDEAL'),
    method('banktransfer', 'Bank transfer'),
  ];
  return {
    count: methods.length,
    _embedded: { methods },
    _links: { self: { href: `${baseUrl}/v2/methods`, type: 'application/hal+json' } },
  };
}
