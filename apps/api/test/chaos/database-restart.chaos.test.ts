/**
 * Postgres restarts while Stripe's webhooks are arriving. While it is down the api answers every webhook with a
 * 5xx (it never acknowledges what it could not store) and /readyz with 503 naming the database; once it is
 * back, both recover by themselves, Stripe's redeliveries land, and each order is fulfilled exactly once.
 */
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@restoreclick/devkit/testing';
import {
  type ChaosSystem,
  countBy,
  type PlacedOrder,
  startChaosSystem,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';
import { chaosScale } from './scale';
import { readEvents } from '../wire';

const { ordersBefore, ordersWhileDown } = chaosScale.databaseRestart;
const PHOTOS = 2;
/** Deliveries of each event refused before Postgres comes back: the outage lasts through Stripe's retries. */
const REFUSALS_WHILE_DOWN = 4;

interface Readiness {
  status: number;
  body: { ok: boolean; checks: { db: { ok: boolean; error?: string } } };
}

async function readiness(apiUrl: string): Promise<Readiness> {
  const response = await fetch(`${apiUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

describe('database restart under webhook load', () => {
  let system: ChaosSystem;
  let before: PlacedOrder[];
  let whileDown: PlacedOrder[];

  beforeAll(async () => {
    // Stripe keeps retrying for about a minute: longer than the restart takes.
    system = await startChaosSystem({
      stripeRetrySchedule: [
        250,
        500,
        1_000,
        2_000,
        3_000,
        ...Array.from({ length: 10 }, () => 5_000),
      ],
    });
    const placing = pLimit(4);
    const placed = await Promise.all(
      Array.from({ length: ordersBefore + ordersWhileDown }, () =>
        placing(() => system.placeOrder({ photos: PHOTOS })),
      ),
    );
    before = placed.slice(0, ordersBefore);
    whileDown = placed.slice(ordersBefore);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('refuses webhooks with 5xx while down, recovers by itself and fulfils every order once', async () => {
    const { stripe } = system;
    const api = system.api();
    const worker = system.worker();
    const eventsBefore = new Set(stripe.events().map((event) => event.id));

    // A customer follows one order live across the restart.
    const watched = whileDown[0];
    if (!watched) throw new Error('no order to watch');
    let seenUpdates = 0;
    const live = readEvents(
      `${system.apiUrl}/trpc/orders.watch?input=${encodeURIComponent(JSON.stringify({ token: watched.accessToken }))}`,
      (events) => {
        seenUpdates = events.length;
        return events.some((event) => event.data.includes('"status":"completed"'));
      },
      { timeoutMs: 180_000 },
    );
    await waitFor(() => seenUpdates > 0, { message: 'the order page to be following the order' });

    // Payments land, and Postgres goes away while their webhooks are still arriving.
    for (const order of before) system.pay(order);
    const stopping = Date.now();
    await system.stopDatabase();
    const stoppedAt = Date.now();

    for (const order of whileDown) system.pay(order);
    const paidWhileDown = new Set(
      stripe
        .events()
        .filter((event) => !eventsBefore.has(event.id))
        .filter((event) =>
          whileDown.some((order) =>
            JSON.stringify(event.data.object).includes(order.checkoutSessionId),
          ),
        )
        .map((event) => event.id),
    );
    expect(paidWhileDown.size).toBeGreaterThanOrEqual(ordersWhileDown);
    // Down until Stripe has tried every one of these events four times (about 4 s: its retries refused too).
    await waitFor(
      () =>
        [...paidWhileDown].every(
          (eventId) =>
            stripe
              .deliveries()
              .filter((attempt) => attempt.eventId === eventId && attempt.status !== null).length >=
            REFUSALS_WHILE_DOWN,
        ),
      { timeout: 30_000, message: 'deliveries of every event sent while the database is down' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${api.output().slice(-5000)}`);
    });
    const down = await waitFor(
      async () => {
        const report = await readiness(system.apiUrl);
        return report.status === 503 ? report : undefined;
      },
      { timeout: 20_000, message: '/readyz to answer 503' },
    );
    expect(down.body.ok).toBe(false);
    expect(down.body.checks.db.ok).toBe(false);

    const restarting = Date.now();
    await system.startDatabase();
    const restartedAt = Date.now();
    await waitFor(async () => (await readiness(system.apiUrl)).status === 200, {
      timeout: 30_000,
      message: '/readyz to answer 200 again',
    });
    const readyAgainAfterMs = Date.now() - restartedAt;

    const orderIds = [...before, ...whileDown].map((order) => order.orderId);
    await waitForOrders(system, orderIds, ['completed'], 180_000);
    const completedAfterMs = Date.now() - restartedAt;
    await waitForEmailsSent(system, orderIds, 60_000);
    const updates = await live;
    expect(updates.at(-1)?.data).toContain('"status":"completed"');

    // Nothing answered 2xx while the database was down: every delivery then got a 5xx.
    const deliveries = stripe.deliveries();
    const duringOutage = deliveries.filter(
      (attempt) =>
        attempt.at.getTime() >= stoppedAt &&
        attempt.at.getTime() + attempt.durationMs <= restarting,
    );
    expect(duringOutage.length).toBeGreaterThanOrEqual(ordersWhileDown);
    for (const attempt of duringOutage) {
      expect(
        attempt.status,
        `delivery of ${attempt.eventType} during the outage`,
      ).toBeGreaterThanOrEqual(500);
    }

    // Every event acknowledged at any time is stored, and was acted on once.
    const acknowledged = new Set(
      deliveries.filter((attempt) => attempt.status === 200).map((attempt) => attempt.eventId),
    );
    const stored = await system.db.selectFrom('stripe_events').select(['id', 'status']).execute();
    const storedIds = new Set(stored.map((event) => event.id));
    expect([...acknowledged].filter((eventId) => !storedIds.has(eventId))).toEqual([]);
    expect(new Set(stripe.events().map((event) => event.id))).toEqual(acknowledged);

    const payments = await system.db
      .selectFrom('order_events')
      .select('order_id')
      .where('type', '=', 'payment.succeeded')
      .execute();
    expect(countBy(payments.map((event) => event.order_id))).toEqual(
      Object.fromEntries(orderIds.map((id) => [id, 1])),
    );
    const emails = await system.db
      .selectFrom('email_messages')
      .select(['id', 'order_id', 'kind'])
      .where('order_id', 'in', orderIds)
      .execute();
    expect(emails).toHaveLength(orderIds.length * 2);
    const accepted = system.sendgrid
      .messages()
      .filter((message) => message.status === 202)
      .map((message) => message.mail?.customArgs?.email_message_id ?? 'none');
    expect(countBy(accepted)).toEqual(Object.fromEntries(emails.map((email) => [email.id, 1])));

    // Neither process had to be restarted by anyone.
    expect(api.exited()).toBe(false);
    expect(worker?.exited()).toBe(false);

    await recordFigures('database-restart', {
      orders: orderIds.length,
      ordersPaidWhileDown: ordersWhileDown,
      stopTookMs: stoppedAt - stopping,
      outageMs: restartedAt - stopping,
      deliveriesRefusedDuringOutage: duringOutage.length,
      statusesDuringOutage: countBy(duringOutage.map((attempt) => String(attempt.status))),
      readyAgainAfterRestartMs: readyAgainAfterMs,
      allCompletedAfterRestartMs: completedAfterMs,
      webhookDeliveries: deliveries.length,
    });
    expect(system.leakedSecrets()).toEqual([]);
  });
});
