/**
 * Verifies a Replicate webhook (the Standard Webhooks scheme) and reads the prediction it carries. Fails
 * closed: a missing header, a stale timestamp or a signature that does not match throws.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from '../payments/payment-provider';
import { parseReplicatePrediction } from './replicate-prediction';
import type { Prediction } from './restoration-provider';

/** Replicate's (and Standard Webhooks') recommended tolerance for webhook timestamps. */
export const REPLICATE_WEBHOOK_TOLERANCE_SECONDS = 300;

export interface ReplicateWebhookHeaders {
  /** `webhook-id`: the same on every retry of one message, so it is the deduplication key. */
  id: string | undefined;
  /** `webhook-timestamp`: Unix seconds of this attempt. */
  timestamp: string | undefined;
  /** `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` entries. */
  signature: string | undefined;
}

export interface VerifyReplicateWebhookInput {
  headers: ReplicateWebhookHeaders;
  /** The body exactly as received: re-serialized JSON would not match the signature. */
  rawBody: string | Buffer;
  /** The `whsec_…` key from `GET /v1/webhooks/default/secret`. */
  secret: string;
  toleranceSeconds?: number;
  now?: Date;
}

export interface VerifiedReplicateWebhook {
  webhookId: string;
  prediction: Prediction;
}

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SHA256_BYTES = 32;

function signingKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new WebhookVerificationError(
      'The Replicate webhook secret is not a whsec_… key; check the configured secret.',
    );
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length === 0) {
    throw new WebhookVerificationError(
      'The Replicate webhook secret is not base64 after whsec_; check the configured secret.',
    );
  }
  return key;
}

function required(value: string | undefined, header: string): string {
  const trimmed = value?.trim();
  if (!trimmed) throw new WebhookVerificationError(`The ${header} header is missing.`);
  return trimmed;
}

/** The `v1` signatures in the header, decoded; entries of other schemes are skipped. */
function v1Signatures(header: string): Buffer[] {
  return header
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice('v1,'.length))
    .filter((encoded) => BASE64.test(encoded))
    .map((encoded) => Buffer.from(encoded, 'base64'));
}

export function verifyReplicateWebhook(
  input: VerifyReplicateWebhookInput,
): VerifiedReplicateWebhook {
  const webhookId = required(input.headers.id, 'webhook-id');
  const timestamp = required(input.headers.timestamp, 'webhook-timestamp');
  const signatureHeader = required(input.headers.signature, 'webhook-signature');
  const key = signingKey(input.secret);

  if (!/^\d+$/.test(timestamp)) {
    throw new WebhookVerificationError(`The webhook-timestamp "${timestamp}" is not Unix seconds.`);
  }
  const tolerance = input.toleranceSeconds ?? REPLICATE_WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const skew = Math.abs(nowSeconds - Number(timestamp));
  if (skew > tolerance) {
    throw new WebhookVerificationError(
      `The webhook-timestamp is ${skew} s away from now, more than the ${tolerance} s tolerance.`,
    );
  }

  const body =
    typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const expected = createHmac('sha256', key)
    .update(`${webhookId}.${timestamp}.`, 'utf8')
    .update(body)
    .digest();
  const candidates = v1Signatures(signatureHeader);
  if (candidates.length === 0) {
    throw new WebhookVerificationError('The webhook-signature header has no v1 signature.');
  }
  // Every candidate is compared, so the time taken does not tell which one came close.
  let matched = false;
  for (const candidate of candidates) {
    if (candidate.length === SHA256_BYTES && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) {
    throw new WebhookVerificationError(
      'No webhook-signature matches the body: it was altered or signed with another secret.',
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('The webhook body is signed but is not JSON.');
  }
  try {
    return { webhookId, prediction: parseReplicatePrediction(json) };
  } catch (error) {
    throw new WebhookVerificationError(
      `The webhook body is signed but is ${error instanceof Error ? error.message : 'unreadable'}.`,
    );
  }
}
