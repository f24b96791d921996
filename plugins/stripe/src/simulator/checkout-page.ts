import type { SimSession } from './simulator-objects.js';

const html = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain hosted checkout page: no script, three buttons, as a browser test can click through. */
export function checkoutPage(session: SimSession, notice?: string): string {
  const amount = `${session.amount_total} ${session.currency.toUpperCase()} (Stripe's smallest unit)`;
  const closed = session.status !== 'open';
  const button = (action: string, label: string) =>
    `<form method="post" action="/pay/${html(session.id)}/${action}"><button type="submit" name="action" value="${action}">${label}</button></form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stripe simulator checkout</title></head>
<body>
<main>
<h1>Stripe simulator</h1>
<p data-testid="description">${html(session.description)}</p>
<p data-testid="amount">${html(amount)}</p>
<p data-testid="email">${html(session.customer_email ?? '')}</p>
${notice ? `<p role="alert">${html(notice)}</p>` : ''}
${
  closed
    ? `<p role="status">This checkout is ${html(session.status)}.</p>`
    : `${button('pay', 'Pay')}${button('decline', 'Decline')}${button('cancel', 'Cancel')}`
}
</main>
</body></html>`;
}
