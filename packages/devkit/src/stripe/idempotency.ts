/**
 * Stripe's idempotency for v1 POSTs: the first response for a key (after the endpoint started running) is
 * saved with the request it answered; the same key and the same request replay it; the same key with another
 * path or other parameters is an `idempotency_error`. Stripe prunes keys after 24 hours; so do we.
 */
import { StripeApiError } from './errors';

interface SavedResponse {
  fingerprint: string;
  status: number;
  body: unknown;
  requestId: string;
  savedAt: number;
}

export type IdempotencyLookup =
  { kind: 'new' } | { kind: 'replay'; status: number; body: unknown; originalRequestId: string };

const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The request a key stands for: method, path and the parameters in a canonical order. */
export function requestFingerprint(method: string, path: string, body: string): string {
  const pairs = [...new URLSearchParams(body)]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .sort();
  return `${method} ${path}?${pairs.join('&')}`;
}

export class IdempotencyCache {
  private readonly saved = new Map<string, SavedResponse>();

  lookup(key: string, fingerprint: string): IdempotencyLookup {
    const saved = this.saved.get(key);
    if (!saved || Date.now() - saved.savedAt > KEY_LIFETIME_MS) return { kind: 'new' };
    if (saved.fingerprint !== fingerprint) {
      throw new StripeApiError({
        status: 400,
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    return {
      kind: 'replay',
      status: saved.status,
      body: saved.body,
      originalRequestId: saved.requestId,
    };
  }

  save(key: string, response: Omit<SavedResponse, 'savedAt'>): void {
    this.saved.set(key, { ...response, savedAt: Date.now() });
  }

  clear(): void {
    this.saved.clear();
  }
}
