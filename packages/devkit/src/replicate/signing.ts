/**
 * Webhook signatures as Replicate makes them (the Standard Webhooks scheme): `webhook-signature: v1,<base64
 * HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64 part of the `whsec_` secret.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** A fresh secret shaped like Replicate's: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A message id shaped like Replicate's (`msg_…`); kept across the retries of one delivery. */
export function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('hex')}`;
}

export function signWebhook(
  body: string,
  secret: string,
  webhookId: string,
  timestamp = Math.floor(Date.now() / 1000),
): WebhookSignatureHeaders {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${webhookId}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}
