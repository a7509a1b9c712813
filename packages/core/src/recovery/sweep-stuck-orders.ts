/**
 * `orders.sweep-stuck` (every minute): finds paid work that nothing is moving and moves it again, so a
 * customer never has to write "my job is stuck".
 * - Orders: paid and not settled, with no restoration job waiting or running in the queue, and no progress
 *   (order, attempts, earlier sweeps) for `STUCK_ORDER_MINUTES`. Each photo still open is driven again from
 *   its latest attempt (run it, or poll its prediction), or from a new attempt when it has none open; an order
 *   whose photos are all settled is settled. Every sweep writes `order.swept`; the second sweep of the same
 *   order also raises `order.needs_attention` for the admins.
 * - Predictions: running longer than `PREDICTION_EXPECTED_SECONDS` with no poll due soon are polled now. The
 *   poll settles a finished one, and cancels one past the hard limit (`RESTORATION_TIMEOUT_SECONDS`) and moves
 *   the photo on to the next model of its chain.
 * - Automatic refunds: due, still pending or issuing, with no refund job queued, get their job back.
 * All of it is safe to run twice: it only enqueues jobs whose handlers are, and writes events with them.
 */
import { sql } from 'kysely';
import type { Database, Kysely, RestorationJob } from '@restoreclick/db';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import type { AutomaticRefundPolicy } from '../payments/automatic-refund-policy';
import { settleOrderIfComplete } from '../restoration/settle-restoration';

export interface RecoverySettings {
  /** `STUCK_ORDER_MINUTES` in seconds: how long an unsettled order may go without progress. */
  stuckOrderSeconds: number;
  /** `PREDICTION_EXPECTED_SECONDS`: how long a remote prediction normally takes at most. */
  predictionExpectedSeconds: number;
  /** A prediction polled within this long needs no extra poll (the restoration poll interval cap). */
  pollMaxIntervalSeconds: number;
  /** How many stuck orders one sweep handles; the rest wait for the next minute. */
  batchSize: number;
}

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettings = {
  stuckOrderSeconds: 15 * 60,
  predictionExpectedSeconds: 5 * 60,
  pollMaxIntervalSeconds: 60,
  batchSize: 100,
};

export interface SweepDeps {
  jobs: JobQueue;
  settings: RecoverySettings;
  /** Name recorded on a new attempt until the worker runs it (as fulfilment does). */
  restorationProvider: string;
  automaticRefunds?: AutomaticRefundPolicy;
  now?: () => Date;
}

export interface SweptOrder {
  orderId: string;
  sweep: number;
  redriven: Array<{ imageId: string; restorationJobId: string; queue: string }>;
  settled: boolean;
  alerted: boolean;
}

export interface SweepResult {
  orders: SweptOrder[];
  repolledPredictions: number;
  redrivenRefunds: number;
}

const UNSETTLED_ORDER_STATUSES = ['paid', 'processing', 'needs_attention'] as const;

/** A job that is waiting or running in the queue, not finished, failed for good or dead-lettered. */
const LIVE_JOB_STATES = sql`('created', 'retry', 'active')`;

export async function sweepStuckOrders(
  db: Kysely<Database>,
  deps: SweepDeps,
): Promise<SweepResult> {
  const now = deps.now?.() ?? new Date();
  const repolledPredictions = await repollOverduePredictions(db, deps, now);
  const orders: SweptOrder[] = [];
  for (const orderId of await findStuckOrders(db, deps, now)) {
    const swept = await sweepOrder(db, deps, orderId, now);
    if (swept) orders.push(swept);
  }
  const redrivenRefunds = await redriveDueRefunds(db, deps, now);
  return { orders, repolledPredictions, redrivenRefunds };
}

async function findStuckOrders(
  db: Kysely<Database>,
  deps: SweepDeps,
  now: Date,
): Promise<string[]> {
  const cutoff = new Date(now.getTime() - deps.settings.stuckOrderSeconds * 1000);
  const { rows } = await sql<{ id: string }>`
    select o.id
    from orders o
    where o.status in (${sql.join(UNSETTLED_ORDER_STATUSES.map((status) => sql.lit(status)))})
      and o.updated_at < ${cutoff}
      and not exists (
        select 1 from restoration_jobs rj where rj.order_id = o.id and rj.updated_at >= ${cutoff}
      )
      and not exists (
        select 1 from order_events e
        where e.order_id = o.id and e.type = 'order.swept' and e.at >= ${cutoff}
      )
      -- An order an admin has to look at because its refund failed is theirs to settle, not the sweeper's.
      and not (
        o.status = 'needs_attention'
        and (
          select e.type from order_events e
          where e.order_id = o.id and e.to_status is not null
          order by e.at desc, e.id desc limit 1
        ) = 'refund.failed'
      )
      and not exists (
        select 1 from pgboss.job j
        where j.name in ('restoration.run', 'restoration.poll')
          and j.state in ${LIVE_JOB_STATES}
          and j.data->>'restorationJobId' in (
            select rj.id::text from restoration_jobs rj where rj.order_id = o.id
          )
      )
    order by o.updated_at
    limit ${deps.settings.batchSize}
  `.execute(db);
  return rows.map((row) => row.id);
}

async function hasLiveRestorationJob(
  trx: Kysely<Database>,
  restorationJobId: string,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    select id from pgboss.job
    where name in ('restoration.run', 'restoration.poll')
      and state in ${LIVE_JOB_STATES}
      and data->>'restorationJobId' = ${restorationJobId}
    limit 1
  `.execute(trx);
  return rows.length > 0;
}

/** Drives one photo again; returns what was queued, or undefined when its job is back already. */
async function redrivePhoto(
  trx: Kysely<Database>,
  deps: SweepDeps,
  orderId: string,
  imageId: string,
): Promise<{ imageId: string; restorationJobId: string; queue: string } | undefined> {
  const latest: RestorationJob | undefined = await trx
    .selectFrom('restoration_jobs')
    .selectAll()
    .where('order_image_id', '=', imageId)
    .orderBy('attempt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest && (latest.status === 'queued' || latest.status === 'running')) {
    if (await hasLiveRestorationJob(trx, latest.id)) return undefined;
    const queue = latest.prediction_id ? 'restoration.poll' : 'restoration.run';
    await deps.jobs.enqueue(trx, queue, { restorationJobId: latest.id });
    return { imageId, restorationJobId: latest.id, queue };
  }
  // No attempt is open (a crash before the first one, or one closed while the order could not be worked on).
  const attempt = await trx
    .insertInto('restoration_jobs')
    .values({
      order_id: orderId,
      order_image_id: imageId,
      provider: latest?.provider ?? deps.restorationProvider,
      model: latest?.model ?? null,
      attempt: (latest?.attempt ?? 0) + 1,
      chain_step: latest?.chain_step ?? 0,
      status: 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await deps.jobs.enqueue(trx, 'restoration.run', { restorationJobId: attempt.id });
  return { imageId, restorationJobId: attempt.id, queue: 'restoration.run' };
}

async function sweepOrder(
  db: Kysely<Database>,
  deps: SweepDeps,
  orderId: string,
  now: Date,
): Promise<SweptOrder | undefined> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['id', 'status', 'updated_at'])
      .where('id', '=', orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!order || !(UNSETTLED_ORDER_STATUSES as readonly string[]).includes(order.status)) {
      return undefined; // settled meanwhile
    }
    const open = await trx
      .selectFrom('order_images')
      .select('id')
      .where('order_id', '=', orderId)
      .where('status', 'in', ['pending', 'processing'])
      .orderBy('position')
      .execute();
    const redriven: SweptOrder['redriven'] = [];
    for (const image of open) {
      const queued = await redrivePhoto(trx, deps, orderId, image.id);
      if (queued) redriven.push(queued);
    }
    if (open.length > 0 && redriven.length === 0) return undefined; // its jobs came back meanwhile
    if (open.length === 0) await settleOrderIfComplete(trx, deps, orderId);

    const earlier = await trx
      .selectFrom('order_events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('order_id', '=', orderId)
      .where('type', '=', 'order.swept')
      .executeTakeFirstOrThrow();
    const sweep = Number(earlier.count) + 1;
    await recordOrderEvent(trx, {
      orderId,
      type: 'order.swept',
      actor: 'worker',
      data: {
        sweep,
        idleSeconds: Math.round((now.getTime() - order.updated_at.getTime()) / 1000),
        redriven,
        settled: open.length === 0,
      },
    });
    const alerted = sweep === 2 && (await raiseAlert(trx, orderId, sweep));
    return { orderId, sweep, redriven, settled: open.length === 0, alerted };
  });
}

/** The second sweep of one order means something keeps stopping it: an admin should look. */
async function raiseAlert(trx: Kysely<Database>, orderId: string, sweep: number) {
  const data = {
    reason: `The order stopped making progress ${sweep} times and was driven again each time.`,
    sweeps: sweep,
  };
  const flagged = await transitionOrder(trx, {
    orderId,
    from: ['paid', 'processing'],
    to: 'needs_attention',
    actor: 'worker',
    eventType: 'order.needs_attention',
    data,
  });
  if (!flagged) {
    await recordOrderEvent(trx, { orderId, type: 'order.needs_attention', actor: 'worker', data });
  }
  return true;
}

async function repollOverduePredictions(
  db: Kysely<Database>,
  deps: SweepDeps,
  now: Date,
): Promise<number> {
  const startedBefore = new Date(now.getTime() - deps.settings.predictionExpectedSeconds * 1000);
  const pollDueBy = new Date(now.getTime() + deps.settings.pollMaxIntervalSeconds * 1000);
  const { rows } = await sql<{
    id: string;
    order_id: string;
    order_image_id: string;
    prediction_id: string;
    started_at: Date;
  }>`
    select rj.id, rj.order_id, rj.order_image_id, rj.prediction_id, rj.started_at
    from restoration_jobs rj
    where rj.status = 'running'
      and rj.prediction_id is not null
      and rj.started_at < ${startedBefore}
      and not exists (
        select 1 from pgboss.job j
        where j.name in ('restoration.run', 'restoration.poll')
          and j.state in ${LIVE_JOB_STATES}
          and j.start_after <= ${pollDueBy}
          and j.data->>'restorationJobId' = rj.id::text
      )
    order by rj.started_at
    limit ${deps.settings.batchSize}
  `.execute(db);
  for (const row of rows) {
    await db.transaction().execute(async (trx) => {
      await deps.jobs.enqueue(trx, 'restoration.poll', { restorationJobId: row.id });
      await recordOrderEvent(trx, {
        orderId: row.order_id,
        type: 'restoration.prediction_repolled',
        actor: 'worker',
        data: {
          imageId: row.order_image_id,
          restorationJobId: row.id,
          predictionId: row.prediction_id,
          runningSeconds: Math.round((now.getTime() - row.started_at.getTime()) / 1000),
        },
      });
    });
  }
  return rows.length;
}

async function redriveDueRefunds(
  db: Kysely<Database>,
  deps: SweepDeps,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - deps.settings.stuckOrderSeconds * 1000);
  const { rows } = await sql<{ order_id: string }>`
    select distinct ar.order_id
    from automatic_refunds ar
    where ar.status in ('pending', 'issuing')
      and ar.due_at < ${cutoff}
      and ar.updated_at < ${cutoff}
      and not exists (
        select 1 from order_events e
        where e.order_id = ar.order_id and e.type = 'refund.automatic_redriven' and e.at >= ${cutoff}
      )
      and not exists (
        select 1 from pgboss.job j
        where j.name = 'refunds.issue-automatic'
          and j.state in ${LIVE_JOB_STATES}
          and j.data->>'orderId' = ar.order_id::text
      )
    limit ${deps.settings.batchSize}
  `.execute(db);
  for (const row of rows) {
    await db.transaction().execute(async (trx) => {
      await deps.jobs.enqueue(trx, 'refunds.issue-automatic', { orderId: row.order_id });
      await recordOrderEvent(trx, {
        orderId: row.order_id,
        type: 'refund.automatic_redriven',
        actor: 'worker',
        data: {},
      });
    });
  }
  return rows.length;
}
