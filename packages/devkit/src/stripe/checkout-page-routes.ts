/**
 * `GET /checkout/:id` shows the hosted page; its form posts to `/checkout/:id/outcome`, which runs the chosen
 * outcome through the same code as the test controls, then redirects (303) to the shop like Stripe does, or
 * shows the page again with what went wrong.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { renderCheckoutPage } from './checkout-page';
import { CHECKOUT_OUTCOMES, completeCheckout } from './checkout-sessions';
import type { AccountContext } from './context';
import { StripeApiError } from './errors';
import { parseFormBody } from './form-body';
import type { CheckoutSessionRecord } from './store';

const ZOutcomeForm = z.object({
  outcome: z.enum([...CHECKOUT_OUTCOMES, 'cancel']),
  email: z.string().trim().optional(),
  name: z.string().trim().optional(),
});

/** Stripe replaces `{CHECKOUT_SESSION_ID}` in the success URL with the session's id. */
export function successUrlFor(record: CheckoutSessionRecord): string | null {
  const url = record.session.success_url;
  return url ? url.replaceAll('{CHECKOUT_SESSION_ID}', record.session.id) : null;
}

function html(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout not found</title></head>
<body><main><h1>No such checkout session</h1><p>The link may be mistyped, or the local Stripe server was restarted (it keeps sessions in memory).</p></main></body></html>
`;

export function registerCheckoutPageRoutes(app: Hono, context: AccountContext): void {
  const { store } = context;

  function view(
    record: CheckoutSessionRecord,
    extra: { email?: string; name?: string; alert?: string } = {},
  ) {
    const { session } = record;
    const customerEmail = session.customer ? store.customers.find(session.customer)?.email : null;
    return renderCheckoutPage({
      session,
      lineItems: record.lineItems,
      email: extra.email || session.customer_email || customerEmail || '',
      ...(extra.name ? { name: extra.name } : {}),
      ...(extra.alert ? { alert: extra.alert } : {}),
      returnUrl: session.status === 'complete' ? successUrlFor(record) : session.cancel_url,
    });
  }

  app.get('/checkout/:id', (c) => {
    const record = store.checkoutSessions.find(c.req.param('id'));
    return record ? html(200, view(record)) : html(404, NOT_FOUND_PAGE);
  });

  app.post('/checkout/:id/outcome', async (c) => {
    const record = store.checkoutSessions.find(c.req.param('id'));
    if (!record) return html(404, NOT_FOUND_PAGE);
    const form = ZOutcomeForm.safeParse(parseFormBody(await c.req.text()));
    if (!form.success) {
      return html(400, view(record, { alert: 'Choose one of the buttons below to continue.' }));
    }
    const { outcome, email, name } = form.data;
    if (record.session.status !== 'open') return html(409, view(record));
    if (outcome === 'cancel') {
      return record.session.cancel_url
        ? redirect(record.session.cancel_url)
        : html(400, view(record, { alert: 'This shop did not give a page to return to.' }));
    }
    const paying = outcome !== 'expire';
    if (paying && !(email && /^[^\s@]+@[^\s@]+$/.test(email))) {
      return html(
        422,
        view(record, { ...(name ? { name } : {}), alert: 'Enter your email address.' }),
      );
    }
    try {
      completeCheckout(context, record.session.id, outcome, {
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
      });
    } catch (error) {
      if (error instanceof StripeApiError) return html(409, view(record, { alert: error.message }));
      throw error;
    }
    if (outcome === 'decline') {
      return html(
        402,
        view(record, {
          ...(email ? { email } : {}),
          ...(name ? { name } : {}),
          alert: 'Your card was declined. Try another card or another way to pay.',
        }),
      );
    }
    const success = successUrlFor(record);
    return outcome !== 'expire' && success ? redirect(success) : html(200, view(record));
  });
}
