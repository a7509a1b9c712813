/**
 * The test controls of a local Stripe server in another process, over its `/_local/…` routes. Same names
 * and arguments as the in-process `LocalStripeControls`, every call async.
 */
import type { LocalStripeControls } from './controls';
import type { DeliveryAttempt } from './delivery';
import { controlCaller } from '../http/control-call';

export type RemoteLocalStripeControls = {
  [Name in keyof LocalStripeControls]: (
    ...args: Parameters<LocalStripeControls[Name]>
  ) => Promise<Awaited<ReturnType<LocalStripeControls[Name]>>>;
};

export class LocalStripeControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LocalStripeControlError';
  }
}

type WireAttempt = Omit<DeliveryAttempt, 'at'> & { at: string };

function fromWire(attempts: WireAttempt[]): DeliveryAttempt[] {
  return attempts.map((attempt) => ({ ...attempt, at: new Date(attempt.at) }));
}

/** `baseUrl` is the server's `url` (for example `http://127.0.0.1:12111`). */
export function connectLocalStripeControls(baseUrl: string): RemoteLocalStripeControls {
  const call = controlCaller(baseUrl, {
    messageOf: (parsed) => (parsed as { error?: { message?: string } } | undefined)?.error?.message,
    error: (status, message) => new LocalStripeControlError(status, message),
  });
  const session = (id: string) => `/checkout/sessions/${encodeURIComponent(id)}`;

  return {
    completeCheckout: (sessionId, outcome, details) =>
      call('POST', `${session(sessionId)}/complete`, { outcome, ...details }),
    settleAsyncPayment: (sessionId) => call('POST', `${session(sessionId)}/settle`, {}),
    failRefund: (refundId, failureReason) =>
      call('POST', `/refunds/${encodeURIComponent(refundId)}/fail`, {
        ...(failureReason ? { failureReason } : {}),
      }),
    redeliver: async (eventId, options) =>
      fromWire(
        await call('POST', `/events/${encodeURIComponent(eventId)}/redeliver`, options ?? {}),
      ),
    deliverInOrder: async (eventIds) =>
      fromWire(await call('POST', '/deliveries/in-order', { eventIds })),
    holdDeliveries: async () => {
      await call('POST', '/deliveries/hold', {});
    },
    releaseDeliveries: async (options) => {
      await call('POST', '/deliveries/release', options ?? {});
    },
    deliveries: async () => fromWire(await call('GET', '/deliveries')),
    deliveriesIdle: async () => {
      await call('GET', '/deliveries/idle');
    },
    events: () => call('GET', '/events'),
    setWebhookUrl: async (url) => {
      await call('PUT', '/webhook-url', { url: url ?? null });
    },
    reset: async () => {
      await call('POST', '/reset', {});
    },
  };
}
