/**
 * The local Stripe account's state, in memory: a development restart forgets every session, payment and
 * event, as resetting a test-mode account would. Nothing here is a business rule; the operations live beside
 * their resource (`checkout-sessions.ts`, `refunds.ts`, …).
 */
import { resourceMissing } from './errors';
import { IdempotencyCache } from './idempotency';
import type {
  ChargeObject,
  CheckoutSessionObject,
  CustomerObject,
  EventObject,
  LineItemObject,
  Metadata,
  PaymentIntentObject,
  RefundObject,
  WebhookEndpointObject,
} from './objects';

/** Objects of one kind by id, oldest first (Stripe lists newest first; see `paginate`). */
export class Collection<T> {
  private readonly items = new Map<string, T>();

  constructor(
    /** Stripe's name for the object in errors: `No such checkout.session: 'cs_…'`. */
    readonly objectName: string,
    private readonly idOf: (item: T) => string,
  ) {}

  add(item: T): T {
    this.items.set(this.idOf(item), item);
    return item;
  }

  find(id: string): T | undefined {
    return this.items.get(id);
  }

  /** An object named in the URL: 404 when missing. */
  get(id: string): T {
    const item = this.items.get(id);
    if (item === undefined) throw resourceMissing(this.objectName, id);
    return item;
  }

  /** An object named by a parameter: 400 with that parameter when missing. */
  getForParam(id: string, param: string): T {
    const item = this.items.get(id);
    if (item === undefined) throw resourceMissing(this.objectName, id, param);
    return item;
  }

  delete(id: string): boolean {
    return this.items.delete(id);
  }

  all(): T[] {
    return [...this.items.values()];
  }

  clear(): void {
    this.items.clear();
  }
}

export type AsyncOutcome = 'async_success' | 'async_failure';

/** A checkout session and what Stripe keeps about it without showing it on the session object. */
export interface CheckoutSessionRecord {
  session: CheckoutSessionObject;
  lineItems: LineItemObject[];
  /** `payment_intent_data` from the create call, applied to the payment intent when there is one. */
  paymentIntentData: { metadata: Metadata; description: string | null };
  /** The intent of the first payment attempt; a declined card keeps it for the next try. */
  paymentIntentId: string | null;
  /** A bank transfer that has not settled yet, and how it will end. */
  pendingSettlement: AsyncOutcome | null;
}

/** An event and the exact JSON that is signed and sent for it. */
export interface EventRecord {
  event: EventObject;
  payload: string;
}

export class LocalStripeStore {
  readonly checkoutSessions = new Collection<CheckoutSessionRecord>(
    'checkout.session',
    (record) => record.session.id,
  );
  readonly customers = new Collection<CustomerObject>('customer', (item) => item.id);
  readonly paymentIntents = new Collection<PaymentIntentObject>(
    'payment_intent',
    (item) => item.id,
  );
  readonly charges = new Collection<ChargeObject>('charge', (item) => item.id);
  readonly refunds = new Collection<RefundObject>('refund', (item) => item.id);
  readonly events = new Collection<EventRecord>('event', (record) => record.event.id);
  /** Endpoints added with `POST /v1/webhook_endpoints` (configuration: `reset()` keeps them). */
  readonly webhookEndpoints = new Collection<WebhookEndpointObject>(
    'webhook_endpoint',
    (item) => item.id,
  );
  readonly idempotency = new IdempotencyCache();

  /** Forgets every object, event and idempotency key; keeps webhook endpoints. */
  reset(): void {
    this.checkoutSessions.clear();
    this.customers.clear();
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.events.clear();
    this.idempotency.clear();
  }
}
