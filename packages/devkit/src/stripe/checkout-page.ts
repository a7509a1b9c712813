/**
 * The hosted checkout page, server-rendered without scripts: the amount as the heading, the line items, the
 * email (prefilled), and one clearly labelled button per outcome a person can choose. Everything from the
 * session is escaped, since product names and emails come from the shop's API calls.
 */
import { formatMoney } from './money';
import type { CheckoutSessionObject, LineItemObject } from './objects';

export interface CheckoutPageView {
  session: CheckoutSessionObject;
  lineItems: readonly LineItemObject[];
  /** Prefilled into the email field. */
  email: string;
  name?: string;
  /** Shown as an alert above the form, such as a declined card. */
  alert?: string;
  /** Where "return to the shop" links go once the session has ended. */
  returnUrl?: string | null;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2.5rem auto;padding:0 1rem;color:#1a1f36;line-height:1.5}
.test-mode{display:inline-block;background:#ffe8b5;border-radius:4px;padding:2px 8px;font-size:.85rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}th,td{text-align:left;padding:.4rem 0;border-bottom:1px solid #e3e8ee}
td.amount,th.amount{text-align:right}tfoot td,tfoot th{font-weight:600;border-bottom:0}
form{display:grid;gap:1rem}label{display:grid;gap:.25rem;font-weight:500}input{padding:.5rem;font-size:1rem;border:1px solid #8792a2;border-radius:6px}
fieldset{border:1px solid #e3e8ee;border-radius:8px;display:grid;gap:.5rem;padding:.75rem}legend{font-weight:600;padding:0 .25rem}
button{padding:.6rem;font-size:1rem;border-radius:6px;border:1px solid #8792a2;background:#fff;color:#1a1f36;cursor:pointer}
button.primary{background:#533afd;border-color:#533afd;color:#fff}button:focus-visible,input:focus-visible{outline:3px solid #0570de;outline-offset:2px}
.alert{color:#a4001c;background:#fff0f0;border:1px solid #f3b5b5;border-radius:6px;padding:.5rem .75rem}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="test-mode">Local Stripe · test mode, no real money moves</p>
${body}
</main>
</body>
</html>
`;
}

function summary(session: CheckoutSessionObject, lineItems: readonly LineItemObject[]): string {
  const currency = session.currency ?? 'usd';
  const rows = lineItems
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.description)}</td><td>${escapeHtml(item.quantity)}</td>` +
        `<td class="amount">${escapeHtml(formatMoney(item.amount_total, currency))}</td></tr>`,
    )
    .join('\n');
  return `<table>
<caption>Order summary</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="2">Total</th><td class="amount">${escapeHtml(formatMoney(session.amount_total ?? 0, currency))}</td></tr></tfoot>
</table>`;
}

function returnLink(url: string | null | undefined, label: string): string {
  return url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>` : '';
}

export function renderCheckoutPage(view: CheckoutPageView): string {
  const { session } = view;
  const total = formatMoney(session.amount_total ?? 0, session.currency ?? 'usd');
  if (session.status === 'expired') {
    return page(
      'Checkout expired',
      `<h1>This checkout has expired</h1>
<p>Nothing was charged. Start again from the shop to pay ${escapeHtml(total)}.</p>
${returnLink(view.returnUrl, 'Return to the shop')}`,
    );
  }
  if (session.status === 'complete') {
    const paid = session.payment_status === 'paid';
    return page(
      paid ? 'Payment received' : 'Payment processing',
      `<h1>${paid ? `Paid ${escapeHtml(total)}` : `Your bank transfer of ${escapeHtml(total)} is on its way`}</h1>
${paid ? '<p>Thank you, your payment went through.</p>' : '<p>We will let the shop know when the bank confirms it.</p>'}
${summary(session, view.lineItems)}
${returnLink(view.returnUrl, 'Return to the shop')}`,
    );
  }

  const action = `/checkout/${encodeURIComponent(session.id)}/outcome`;
  const cancel = session.cancel_url
    ? `<button type="submit" name="outcome" value="cancel" formnovalidate>Cancel and return to the shop</button>`
    : '';
  return page(
    `Pay ${total}`,
    `<h1>Pay ${escapeHtml(total)}</h1>
${summary(session, view.lineItems)}
${view.alert ? `<p role="alert" class="alert">${escapeHtml(view.alert)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="email">Email
<input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(view.email)}">
</label>
<label for="name">Name on card
<input id="name" name="name" type="text" autocomplete="cc-name" value="${escapeHtml(view.name ?? '')}">
</label>
<fieldset>
<legend>Card</legend>
<button type="submit" name="outcome" value="pay" class="primary">Pay ${escapeHtml(total)}</button>
<button type="submit" name="outcome" value="decline">Decline card</button>
</fieldset>
<fieldset>
<legend>Bank transfer (the bank answers later)</legend>
<button type="submit" name="outcome" value="async_success">Pay with bank transfer — succeeds later</button>
<button type="submit" name="outcome" value="async_failure">Pay with bank transfer — fails later</button>
</fieldset>
<fieldset>
<legend>Leave without paying</legend>
<button type="submit" name="outcome" value="expire" formnovalidate>Let it expire</button>
${cancel}
</fieldset>
</form>`,
  );
}
