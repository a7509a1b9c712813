/**
 * What integration tests drive the local Stripe server with: checkout outcomes (the same code path as the
 * hosted page's buttons), settling bank transfers now, and webhook delivery mischief — duplicate storms,
 * a chosen order, held and shuffled deliveries. The same controls are served over HTTP under `/_local/…`
 * (see `control-routes.ts`) for tests in another process.
 */
import {
  type CheckoutDetails,
  type CheckoutOutcome,
  completeCheckout,
  settleAsyncPayment,
} from './checkout-sessions';
import type { AccountContext } from './context';
import type { DeliveryAttempt, WebhookDelivery } from './delivery';
import type { CheckoutSessionObject, EventObject, RefundObject } from './objects';
import { present } from './present';
import { failRefund } from './refunds';
import type { WebhookEndpoints } from './webhook-endpoints';

export interface RedeliverOptions {
  /** How many copies to send to each subscribed endpoint (default 1). */
  times?: number;
  /** All at once (default) or one after another. */
  concurrent?: boolean;
}

export interface ReleaseOptions {
  shuffle?: boolean;
  /** These events first, in this order; the rest after them. */
  order?: readonly string[];
}

export interface LocalStripeControls {
  /** The session after the outcome (a declined card leaves it open). */
  completeCheckout(
    sessionId: string,
    outcome: CheckoutOutcome,
    details?: CheckoutDetails,
  ): CheckoutSessionObject;
  /** Settles a pending bank transfer now instead of after `asyncPaymentDelayMs`. */
  settleAsyncPayment(sessionId: string): CheckoutSessionObject;
  /**
   * Fails a refund that had succeeded, as a card refund does days later when the card was closed: the charge
   * is no longer refunded by its amount, and `refund.updated`, `charge.refund.updated`, `refund.failed` go out.
   */
  failRefund(refundId: string, failureReason?: string): RefundObject;
  redeliver(eventId: string, options?: RedeliverOptions): Promise<DeliveryAttempt[]>;
  /** Sends these events once each, each answered before the next is sent. */
  deliverInOrder(eventIds: readonly string[]): Promise<DeliveryAttempt[]>;
  /** Queues new events instead of sending them, until `releaseDeliveries`. */
  holdDeliveries(): void;
  releaseDeliveries(options?: ReleaseOptions): Promise<void>;
  /** Every delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** Resolves when no delivery is in flight or waiting for a retry. */
  deliveriesIdle(): Promise<void>;
  /** Every event so far, oldest first. */
  events(): EventObject[];
  /** Where every event goes (undefined: nowhere); endpoints from the API are kept. */
  setWebhookUrl(url: string | undefined): void;
  /** Forgets all objects, events, idempotency keys and delivery attempts; keeps webhook configuration. */
  reset(): void;
}

export function createControls(deps: {
  context: AccountContext;
  delivery: WebhookDelivery;
  endpoints: WebhookEndpoints;
  clearTimers: () => void;
}): LocalStripeControls {
  const { context, delivery, endpoints } = deps;
  const { store } = context;
  const eventRecord = (eventId: string) => store.events.get(eventId);

  return {
    completeCheckout: (sessionId, outcome, details) =>
      present(store, completeCheckout(context, sessionId, outcome, details).session),
    settleAsyncPayment: (sessionId) =>
      present(store, settleAsyncPayment(context, sessionId).session),
    failRefund: (refundId, failureReason) => failRefund(context, refundId, failureReason),
    redeliver: (eventId, options) => delivery.redeliver(eventRecord(eventId), options),
    deliverInOrder: (eventIds) => delivery.deliverInOrder(eventIds.map(eventRecord)),
    holdDeliveries: () => delivery.hold(),
    releaseDeliveries: (options) => delivery.release(options),
    deliveries: () => delivery.attempts(),
    deliveriesIdle: () => delivery.idle(),
    events: () => store.events.all().map((record) => present(store, record.event)),
    setWebhookUrl: (url) => endpoints.setDefaultUrl(url),
    reset() {
      deps.clearTimers();
      store.reset();
      delivery.reset();
    },
  };
}
