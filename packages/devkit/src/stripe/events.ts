/**
 * Every state change becomes an event: a snapshot of the object, stored in order (for `GET /v1/events`) and
 * handed to webhook delivery with the exact JSON that will be signed and sent.
 */
import type { WebhookDelivery } from './delivery';
import { invalidParam } from './errors';
import { LIST_PARAMS, paginate } from './list';
import { API_VERSION, type EventObject, type ListObject, newId, nowSeconds } from './objects';
import type { FormParams } from './params';
import type { LocalStripeStore } from './store';

/** What caused a change: an API request (its id and idempotency key) or not (page, control, timer). */
export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
}

export const NOT_AN_API_REQUEST: EventOrigin = { requestId: null, idempotencyKey: null };

export class EventLog {
  constructor(
    private readonly store: LocalStripeStore,
    private readonly delivery: WebhookDelivery,
  ) {}

  emit(type: string, object: { id: string; object: string }, origin: EventOrigin): EventObject {
    const targets = this.delivery.targetsFor(type);
    const event: EventObject = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: nowSeconds(),
      data: { object: structuredClone(object) as unknown as Record<string, unknown> },
      livemode: false,
      pending_webhooks: targets.length,
      request: { id: origin.requestId, idempotency_key: origin.idempotencyKey },
      type,
    };
    // Stripe sends events pretty-printed; these bytes are what every delivery of this event signs.
    const record = { event, payload: JSON.stringify(event, null, 2) };
    this.store.events.add(record);
    this.delivery.publish(record, targets);
    return event;
  }
}

/** `checkout.session.*` matches every checkout session event, as in Stripe's `type` filter. */
function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

export function listEvents(store: LocalStripeStore, params: FormParams): ListObject<EventObject> {
  params.allowOnly([...LIST_PARAMS, 'type', 'types', 'delivery_success']);
  const type = params.string('type');
  const types = params.strings('types');
  if (type && types) {
    throw invalidParam('types', 'You may only specify one of these parameters: type, types.');
  }
  if (types && types.length > 20) {
    throw invalidParam('types', 'You can filter by at most 20 event types.');
  }
  const patterns = types ?? (type ? [type] : undefined);
  const deliverySuccess = params.boolean('delivery_success');
  const events = store.events
    .all()
    .map((record) => record.event)
    .filter(
      (event) =>
        (!patterns || patterns.some((pattern) => typeMatches(event.type, pattern))) &&
        // Stripe: true means every endpoint has acknowledged it; false, some have not (yet).
        (deliverySuccess === undefined || (event.pending_webhooks === 0) === deliverySuccess),
    );
  return paginate(events, params, {
    url: '/v1/events',
    objectName: 'event',
    idOf: (event) => event.id,
    createdOf: (event) => event.created,
  });
}
