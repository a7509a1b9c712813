/**
 * Objects as the API returns them: copies (a caller can never change stored state), with `expand[]` applied
 * the way Stripe does it — an id field replaced by its object (`payment_intent`, `customer`,
 * `latest_charge`…), nested paths (`payment_intent.latest_charge`), `data.` paths on lists, and a session's
 * `line_items`, which only appear when asked for.
 */
import { invalidParam } from './errors';
import type { ListObject } from './objects';
import type { LocalStripeStore } from './store';

type StripeLike = { object: string } & Record<string, unknown>;
type Expander = (store: LocalStripeStore, owner: StripeLike) => unknown;

const MAX_EXPANSION_DEPTH = 4;

function byId(find: (store: LocalStripeStore, id: string) => unknown, field: string): Expander {
  return (store, owner) => {
    const value = owner[field];
    return typeof value === 'string' ? (find(store, value) ?? value) : value;
  };
}

const customer = byId((store, id) => store.customers.find(id), 'customer');
const paymentIntent = byId((store, id) => store.paymentIntents.find(id), 'payment_intent');
const charge = byId((store, id) => store.charges.find(id), 'charge');

/** Which fields each kind of object can expand, and how. */
const EXPANDABLE: Record<string, Record<string, Expander>> = {
  'checkout.session': {
    customer,
    payment_intent: paymentIntent,
    line_items: (store, owner) => {
      const record = store.checkoutSessions.find(String(owner.id));
      const data = record?.lineItems ?? [];
      return {
        object: 'list',
        data,
        has_more: false,
        url: `/v1/checkout/sessions/${String(owner.id)}/line_items`,
      } satisfies ListObject<unknown>;
    },
  },
  payment_intent: {
    customer,
    latest_charge: byId((store, id) => store.charges.find(id), 'latest_charge'),
  },
  charge: { customer, payment_intent: paymentIntent },
  refund: { charge, payment_intent: paymentIntent },
};

function expandObject(
  store: LocalStripeStore,
  object: StripeLike,
  paths: readonly string[],
  prefix: string,
  depth: number,
): StripeLike {
  const copy = structuredClone(object);
  const byField = new Map<string, string[]>();
  for (const path of paths) {
    const [field = '', ...rest] = path.split('.');
    byField.set(field, [...(byField.get(field) ?? []), ...(rest.length ? [rest.join('.')] : [])]);
  }
  for (const [field, nested] of byField) {
    const expander = EXPANDABLE[copy.object]?.[field];
    if (!expander || depth > MAX_EXPANSION_DEPTH) {
      throw invalidParam('expand', `This property cannot be expanded (${prefix}${field}).`);
    }
    const expanded = expander(store, copy);
    const isObject = typeof expanded === 'object' && expanded !== null && 'object' in expanded;
    copy[field] =
      isObject && nested.length > 0
        ? expandObject(store, expanded as StripeLike, nested, `${prefix}${field}.`, depth + 1)
        : structuredClone(expanded);
  }
  return copy;
}

export function present<T extends { object: string }>(
  store: LocalStripeStore,
  object: T,
  expand: readonly string[] = [],
): T {
  return expandObject(store, object as unknown as StripeLike, expand, '', 1) as unknown as T;
}

/** A list, expanding `data.<field>` paths on each item. */
export function presentList<T extends { object: string }>(
  store: LocalStripeStore,
  list: ListObject<T>,
  expand: readonly string[] = [],
): ListObject<T> {
  const itemPaths = expand.map((path) => {
    if (!path.startsWith('data.')) {
      throw invalidParam('expand', `This property cannot be expanded (${path}).`);
    }
    return path.slice('data.'.length);
  });
  return { ...list, data: list.data.map((item) => present(store, item, itemPaths)) };
}
