import type { SimulatedPayment } from './simulator-store.js';

export const CHECKOUT_OUTCOMES = ['paid', 'failed', 'canceled', 'expired'] as const;
export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Mollie's test-mode checkout: the payer picks the outcome. Plain HTML, no script, so any browser test can click it. */
export function checkoutPage(payment: SimulatedPayment): string {
  const buttons = CHECKOUT_OUTCOMES.map(
    (outcome) =>
      `<button type="submit" name="status" value="${outcome}">${outcome[0]?.toUpperCase()}${outcome.slice(1)}</button>`,
  ).join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mollie test payment</title></head>
  <body>
    <main>
      <h1>Test payment</h1>
      <p>${escapeHtml(payment.description)}</p>
      <p><strong>${escapeHtml(payment.amount.currency)} ${escapeHtml(payment.amount.value)}</strong></p>
      <form method="post" action="/checkout/${payment.id}">
      <fieldset><legend>Select the payment status</legend>
      ${buttons}
      </fieldset>
      </form>
    </main>
  </body>
</html>`;
}

export function closedPage(payment: SimulatedPayment): string {
  const back = payment.redirectUrl
    ? `<p><a href="${escapeHtml(payment.redirectUrl)}">Back to the shop</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payment closed</title></head>
<body><main><h1>This payment is ${escapeHtml(payment.status)}</h1>${back}</main></body></html>`;
}
