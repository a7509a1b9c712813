/**
 * `POST /webhooks/stripe`: verify the signature over the raw body (fail closed), store the event and enqueue its
 * job in one transaction, answer 200 in milliseconds. A database failure answers 503 so Stripe delivers again.
 * `GET /webhooks/stripe/health` reports what came in and what is waiting; the operator retry re-runs fulfilment.
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import {
  fulfilOrder,
  recordStripeEvent,
  safeEqual,
  WebhookVerificationError,
} from '@restoreclick/core';
import type { AppEnv } from '../app';
import type { ApiDependencies } from '../dependencies';

export function stripeWebhookRoutes(deps: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/', async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > deps.limits.webhookMaxBodyBytes) {
      return c.json(
        { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Webhook body is too large.' } },
        413,
      );
    }
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > deps.limits.webhookMaxBodyBytes) {
      return c.json(
        { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Webhook body is too large.' } },
        413,
      );
    }

    let event;
    try {
      event = deps.payments.verifyWebhook(body, c.req.header('stripe-signature'));
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        c.get('logger').warn({ reason: error.message }, 'rejected a Stripe webhook');
        return c.json({ error: { code: 'INVALID_SIGNATURE', message: error.message } }, 400);
      }
      throw error;
    }

    try {
      const { duplicate } = await recordStripeEvent(deps.db, { jobs: deps.jobs }, event);
      c.get('logger').info(
        { eventId: event.id, type: event.type, duplicate },
        'stripe event received',
      );
      return c.json({ received: true, duplicate });
    } catch (error) {
      c.get('logger').error({ err: error, eventId: event.id }, 'could not store a Stripe event');
      // Not acknowledged: Stripe keeps the event and delivers it again.
      return c.json({ error: { code: 'UNAVAILABLE', message: 'Try again later.' } }, 503);
    }
  });

  routes.get('/health', async (c) => {
    const row = await deps.db
      .selectFrom('stripe_events')
      .select([
        sql<Date | null>`max(received_at)`.as('lastReceivedAt'),
        sql<Date | null>`max(processed_at)`.as('lastProcessedAt'),
        sql<string>`count(*) filter (where status = 'received')`.as('backlog'),
        sql<string>`count(*) filter (where status = 'failed')`.as('failed'),
        sql<string>`count(*)`.as('total'),
      ])
      .executeTakeFirstOrThrow();
    const recentFailures = await deps.db
      .selectFrom('stripe_events')
      .select(['id', 'type', 'error', 'attempts', 'received_at'])
      .where('status', '=', 'failed')
      .orderBy('received_at', 'desc')
      .limit(10)
      .execute();
    return c.json({
      lastReceivedAt: row.lastReceivedAt,
      lastProcessedAt: row.lastProcessedAt,
      backlog: Number(row.backlog),
      failed: Number(row.failed),
      total: Number(row.total),
      recentFailures,
    });
  });

  routes.post('/retry-fulfillment/:sessionId', async (c) => {
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    if (!deps.adminApiToken || !safeEqual(token, deps.adminApiToken)) {
      return c.json(
        { error: { code: 'UNAUTHORIZED', message: 'An operator token is required.' } },
        401,
      );
    }
    const sessionId = c.req.param('sessionId');
    if (!/^cs_[A-Za-z0-9_]{4,250}$/.test(sessionId)) {
      return c.json(
        { error: { code: 'INVALID_INPUT', message: 'Not a checkout session id.' } },
        400,
      );
    }
    const outcome = await fulfilOrder(deps.db, deps.fulfilment, {
      checkoutSessionId: sessionId,
      actor: 'system',
    });
    return c.json({
      result: outcome.result,
      orderId: outcome.order.id,
      status: outcome.order.status,
    });
  });

  return routes;
}
