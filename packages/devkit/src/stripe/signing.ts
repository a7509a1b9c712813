/**
 * Webhook signatures as Stripe makes them: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<payload>" keyed with the endpoint secret>`, which `stripe.webhooks.constructEvent` verifies.
 */
import { createHmac } from 'node:crypto';
import { nowSeconds } from './objects';

export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

/** The `Stripe-Signature` header value for `payload`, signed now unless a timestamp is given. */
export function signPayload(payload: string, secret: string, timestamp = nowSeconds()): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}
