/**
 * `POST /webhooks/replicate`: Replicate calls it when a prediction completes. Verify the signature over the raw
 * body (fail closed), store the delivery once by its `webhook-id` and queue an immediate poll of the attempt,
 * in one transaction; answer 200 at once. The poll asks Replicate again, so the payload is never trusted.
 */
import { Hono } from 'hono';
import {
  recordRestorationWebhook,
  verifyReplicateWebhook,
  WebhookVerificationError,
} from '@restoreclick/core';
import type { AppEnv } from '../app';
import type { ApiDependencies } from '../dependencies';

export function replicateWebhookRoutes(deps: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/', async (c) => {
    const secret = deps.replicateWebhookSecret;
    if (!secret) {
      return c.json(
        {
          error: {
            code: 'NOT_FOUND',
            message: 'Replicate webhooks are not configured here (REPLICATE_WEBHOOK_SECRET).',
          },
        },
        404,
      );
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    const body = declared > deps.limits.webhookMaxBodyBytes ? null : await c.req.text();
    if (body === null || Buffer.byteLength(body) > deps.limits.webhookMaxBodyBytes) {
      return c.json(
        { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Webhook body is too large.' } },
        413,
      );
    }

    let verified;
    try {
      verified = verifyReplicateWebhook({
        headers: {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
        rawBody: body,
        secret,
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        c.get('logger').warn({ reason: error.message }, 'rejected a Replicate webhook');
        return c.json({ error: { code: 'INVALID_SIGNATURE', message: error.message } }, 400);
      }
      throw error;
    }

    try {
      const outcome = await recordRestorationWebhook(deps.db, deps.jobs, {
        provider: 'replicate',
        webhookId: verified.webhookId,
        prediction: verified.prediction,
        payload: JSON.parse(body) as unknown,
      });
      c.get('logger').info(
        { webhookId: verified.webhookId, predictionId: verified.prediction.id, outcome },
        'replicate webhook received',
      );
      return c.json({ received: true, outcome });
    } catch (error) {
      c.get('logger').error({ err: error }, 'could not store a Replicate webhook');
      // Not acknowledged: Replicate delivers it again.
      return c.json({ error: { code: 'UNAVAILABLE', message: 'Try again later.' } }, 503);
    }
  });

  return routes;
}
