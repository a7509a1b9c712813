/**
 * Worker crashes: many paid orders in flight while the worker process is killed with SIGKILL again and again,
 * each time at a random moment after it came up, and started again. Every order still completes, every email
 * reaches SendGrid exactly once, the model runs once per photo, and no temporary upload is left in S3. (The integration test
 * `worker-crash.integration.test.ts` is the small, in-CI version of the same guarantee for emails.)
 */
import pLimit from 'p-limit';
import { sql } from 'kysely';
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

const { orders: ORDERS, kills: KILLS, maxKillDelayMs } = chaosScale.workerCrash;
const PHOTOS = 2;
const MODEL = 'flux-kontext-apps/restore-image';

describe(`worker killed with SIGKILL ${KILLS} times while ${ORDERS} orders are in flight`, () => {
  let system: ChaosSystem;
  let orders: PlacedOrder[];

  beforeAll(async () => {
    system = await startChaosSystem();
    // Each prediction takes a moment, so kills land while restorations are running.
    system.replicate.setModelOutcome(MODEL, { kind: 'slow', processingMs: 1_500 });
    const placing = pLimit(4);
    orders = await Promise.all(
      Array.from({ length: ORDERS }, () => placing(() => system.placeOrder({ photos: PHOTOS }))),
    );
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('completes every order, sends each email exactly once and leaves no temporary upload', async () => {
    // Orders are paid in waves, one before each kill, so every kill finds fresh work in flight.
    const waves = Array.from({ length: KILLS }, (_, wave) =>
      orders.filter((_order, index) => index % KILLS === wave),
    );
    const killedAt: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      for (const order of waves[kill] ?? []) system.pay(order);
      const worker = system.worker();
      if (!worker) throw new Error('no worker running');
      // The chaos itself: a random moment in the worker's life, not a wait for anything.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * maxKillDelayMs));
      await worker.kill('SIGKILL');
      killedAt.push(Date.now());
      await system.startWorker();
    }
    const lastKill = Date.now();

    const orderIds = orders.map((order) => order.orderId);
    await waitForOrders(system, orderIds, ['completed'], 480_000);
    const completedAfterLastKillMs = Date.now() - lastKill;
    await waitForEmailsSent(system, orderIds, 120_000);

    const { db } = system;
    const images = await db
      .selectFrom('order_images')
      .select('status')
      .where('order_id', 'in', orderIds)
      .execute();
    expect(countBy(images.map((image) => image.status))).toEqual({ restored: ORDERS * PHOTOS });

    const emailsAccepted = await expectOneEmailOfEachKind(system, orderIds);

    const completions = await db
      .selectFrom('order_events')
      .select('order_id')
      .where('type', '=', 'order.completed')
      .where('order_id', 'in', orderIds)
      .execute();
    expect(completions).toHaveLength(ORDERS);

    // The model ran once per photo: a retry follows the prediction its killed attempt had asked for.
    expect(system.replicate.predictions()).toHaveLength(ORDERS * PHOTOS);
    const recovered = await db
      .selectFrom('order_events')
      .select('id')
      .where('type', '=', 'restoration.prediction_recovered')
      .where('order_id', 'in', orderIds)
      .execute();

    // The photos were copied to permanent storage and their temporary copies removed, crash or not.
    const leftovers = await system.store.list('uploads/temp/');
    expect(leftovers.map((object) => object.key)).toEqual([]);

    const { rows: retried } = await sql<{ name: string; retries: string; dead: string }>`
      select name, sum(retry_count)::text as retries,
        count(*) filter (where name like '%.dead')::text as dead
      from pgboss.job group by name order by name
    `.execute(db);
    expect(retried.filter((row) => row.name.endsWith('.dead'))).toEqual([]);
    await recordFigures('worker-crash', {
      orders: ORDERS,
      photos: ORDERS * PHOTOS,
      kills: KILLS,
      killWindowMs: lastKill - (killedAt[0] ?? lastKill),
      completedAfterLastKillMs,
      predictions: system.replicate.predictions().length,
      predictionsRecovered: recovered.length,
      jobRetries: Object.fromEntries(retried.map((row) => [row.name, Number(row.retries)])),
      emailsAccepted,
      temporaryUploadsLeft: leftovers.length,
    });
    expect(system.leakedSecrets()).toEqual([]);
  });
});
