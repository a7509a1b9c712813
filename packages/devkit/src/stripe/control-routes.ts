/**
 * The test controls over HTTP, for tests running in another process: JSON in, JSON out, under `/_local/…`.
 * `control-client.ts` is the typed client for these routes.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { CHECKOUT_OUTCOMES } from './checkout-sessions';
import type { LocalStripeControls } from './controls';
import { StripeApiError } from './errors';

export const ZCompleteCheckoutInput = z.object({
  outcome: z.enum(CHECKOUT_OUTCOMES),
  email: z.string().optional(),
  name: z.string().optional(),
});
export const ZRedeliverInput = z.object({
  times: z.number().int().min(1).max(1000).optional(),
  concurrent: z.boolean().optional(),
});
export const ZFailRefundInput = z.object({ failureReason: z.string().min(1).max(100).optional() });
export const ZDeliverInOrderInput = z.object({ eventIds: z.array(z.string()).min(1) });
export const ZReleaseInput = z.object({
  shuffle: z.boolean().optional(),
  order: z.array(z.string()).optional(),
});
export const ZWebhookUrlInput = z.object({ url: z.url().nullable() });

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new StripeApiError({ status: 400, message: 'The control body is not valid JSON.' });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StripeApiError({ status: 400, message: z.prettifyError(parsed.error) });
  }
  return parsed.data;
}

export function registerControlRoutes(app: Hono, controls: LocalStripeControls): void {
  const control = (
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    run: (c: Context) => Promise<unknown> | unknown,
  ) => {
    app.on(method, path, async (c) => {
      try {
        const result = await run(c);
        return c.json(result ?? { ok: true });
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        return new Response(JSON.stringify(error.toBody()), {
          status: error.status,
          headers: { 'content-type': 'application/json' },
        });
      }
    });
  };

  control('POST', '/_local/checkout/sessions/:id/complete', async (c) => {
    const { outcome, ...details } = await jsonBody(c, ZCompleteCheckoutInput);
    return controls.completeCheckout(c.req.param('id') ?? '', outcome, details);
  });
  control('POST', '/_local/checkout/sessions/:id/settle', (c) =>
    controls.settleAsyncPayment(c.req.param('id') ?? ''),
  );
  control('POST', '/_local/refunds/:id/fail', async (c) =>
    controls.failRefund(
      c.req.param('id') ?? '',
      (await jsonBody(c, ZFailRefundInput)).failureReason,
    ),
  );
  control('POST', '/_local/events/:id/redeliver', async (c) =>
    controls.redeliver(c.req.param('id') ?? '', await jsonBody(c, ZRedeliverInput)),
  );
  control('POST', '/_local/deliveries/in-order', async (c) =>
    controls.deliverInOrder((await jsonBody(c, ZDeliverInOrderInput)).eventIds),
  );
  control('POST', '/_local/deliveries/hold', () => controls.holdDeliveries());
  control('POST', '/_local/deliveries/release', async (c) =>
    controls.releaseDeliveries(await jsonBody(c, ZReleaseInput)),
  );
  control('GET', '/_local/deliveries', () => controls.deliveries());
  control('GET', '/_local/deliveries/idle', () => controls.deliveriesIdle());
  control('GET', '/_local/events', () => controls.events());
  control('PUT', '/_local/webhook-url', async (c) =>
    controls.setWebhookUrl((await jsonBody(c, ZWebhookUrlInput)).url ?? undefined),
  );
  control('POST', '/_local/reset', () => controls.reset());
}
