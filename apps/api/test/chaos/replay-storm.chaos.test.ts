/**
 * Replay storm: Stripe delivers every event of many paid checkouts again and again, all at once and in a
 * shuffled order (as its retries and a redelivery from the dashboard can). Each checkout still becomes exactly
 * one paid order, restored once, with one confirmation and one completion email.
 */
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChaosSystem,
  countBy,
  expectOneEmailOfEachKind,
  type PlacedOrder,
  startChaosSystem,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';
import { chaosScale } from './scale';

const { sessions, deliveriesPerEvent } = chaosScale.replayStorm;
const PHOTOS = 2;
/** Deliveries in flight at once: a busy Stripe account sends this many to one endpoint. */
const IN_FLIGHT = 32;

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}

describe(`replay storm: ${sessions} checkouts, every event delivered ${deliveriesPerEvent} times`, () => {
  let system: ChaosSystem;
  let orders: PlacedOrder[];

  beforeAll(async () => {
    system = await startChaosSystem();
    const placing = pLimit(4);
    orders = await Promise.all(
      Array.from({ length: sessions }, () => placing(() => system.placeOrder({ photos: PHOTOS }))),
    );
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('makes exactly one paid order per checkout, restored once, with one email of each kind', async () => {
    const { stripe } = system;
    // Stripe's own first delivery of each event waits, so that it lands inside the storm.
    stripe.holdDeliveries();
    for (const order of orders) system.pay(order);
    // Every event of these checkouts (made at checkout and at payment), each delivered once already or held.
    const events = stripe.events();
    expect(events.length).toBeGreaterThanOrEqual(sessions * 2);

    const started = Date.now();
    const sending = pLimit(IN_FLIGHT);
    const copies = shuffle(
      events.flatMap((event) => Array.from({ length: deliveriesPerEvent - 1 }, () => event.id)),
    );
    await Promise.all([
      stripe.releaseDeliveries({ shuffle: true }),
      ...copies.map((eventId) => sending(() => stripe.redeliver(eventId, { times: 1 }))),
    ]);
    await stripe.deliveriesIdle();
    const acknowledgedAfterMs = Date.now() - started;

    const orderIds = orders.map((order) => order.orderId);
    await waitForOrders(system, orderIds, ['completed'], 240_000);
    const completedAfterMs = Date.now() - started;

    const eventIds = new Set(events.map((event) => event.id));
    const deliveries = stripe.deliveries().filter((attempt) => eventIds.has(attempt.eventId));
    expect(deliveries).toHaveLength(events.length * deliveriesPerEvent);
    expect(countBy(deliveries.map((attempt) => String(attempt.status)))).toEqual({
      '200': events.length * deliveriesPerEvent,
    });

    const { db } = system;
    const stored = await db.selectFrom('stripe_events').select('id').execute();
    expect(stored).toHaveLength(events.length);
    const allOrders = await db.selectFrom('orders').select('id').execute();
    expect(allOrders).toHaveLength(sessions);
    const payments = await db
      .selectFrom('order_events')
      .select('order_id')
      .where('type', '=', 'payment.succeeded')
      .execute();
    expect(countBy(payments.map((event) => event.order_id))).toEqual(
      Object.fromEntries(orderIds.map((id) => [id, 1])),
    );
    const attempts = await db.selectFrom('restoration_jobs').select('order_image_id').execute();
    expect(attempts).toHaveLength(sessions * PHOTOS);
    expect(new Set(attempts.map((attempt) => attempt.order_image_id)).size).toBe(sessions * PHOTOS);

    // Every email row is sent, and SendGrid accepted each exactly once.
    await waitForEmailsSent(system, orderIds, 120_000);
    const emailsAccepted = await expectOneEmailOfEachKind(system, orderIds);

    const latencies = deliveries.map((attempt) => attempt.durationMs).sort((a, b) => a - b);
    await recordFigures('replay-storm', {
      sessions,
      deliveriesPerEvent,
      eventsPerSession: events.length / sessions,
      deliveries: deliveries.length,
      inFlight: IN_FLIGHT,
      acknowledged: deliveries.length,
      ackP50Ms: latencies[Math.floor(latencies.length * 0.5)],
      ackP99Ms: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)],
      allAcknowledgedAfterMs: acknowledgedAfterMs,
      allCompletedAfterMs: completedAfterMs,
      orders: allOrders.length,
      emailsAccepted,
    });
    expect(system.leakedSecrets()).toEqual([]);
  });
});
