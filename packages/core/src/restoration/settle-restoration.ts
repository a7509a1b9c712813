/**
 * How an attempt ends, always in one transaction that first locks the order row: a restored photo, or a failed
 * attempt (followed by the next attempt — the same model or the next one of the fallback chain — or by the
 * photo failing for good). When the last photo of an order settles, the order completes, the
 * restoration-complete email is queued and the refunds of photos no model could restore are scheduled, exactly
 * once.
 */
import type { Database, Kysely, Order, OrderImage, RestorationJob } from '@restoreclick/db';
import { notifyCustomer } from '../notifications/notify-customer';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import { scheduleAutomaticRefunds } from '../payments/schedule-automatic-refunds';
import { type AttemptFailureKind, nextAttemptAfter, restorationChainFor } from './fallback-chain';
import type { RestorationDeps } from './restoration-deps';
import type { ValidatedOutput } from './validate-restored-output';

export interface AttemptContext {
  job: RestorationJob;
  image: OrderImage;
  order: Order;
}

/** The attempt with its photo and order, or undefined when the attempt does not exist. */
export async function loadAttempt(
  db: Kysely<Database>,
  restorationJobId: string,
): Promise<AttemptContext | undefined> {
  const job = await db
    .selectFrom('restoration_jobs')
    .selectAll()
    .where('id', '=', restorationJobId)
    .executeTakeFirst();
  if (!job) return undefined;
  const image = await db
    .selectFrom('order_images')
    .selectAll()
    .where('id', '=', job.order_image_id)
    .executeTakeFirstOrThrow();
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', job.order_id)
    .executeTakeFirstOrThrow();
  return { job, image, order };
}

export function isSettledAttempt(job: RestorationJob): boolean {
  return job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';
}

/** Serializes settlements of one order: each sees the others' photos as they are once committed. */
async function lockOrder(trx: Kysely<Database>, orderId: string): Promise<void> {
  await trx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().execute();
}

export interface RestoredResult {
  key: string;
  output: ValidatedOutput;
  predictSeconds: number | null;
  costMicros: number | null;
  details: Record<string, unknown>;
}

/** Keeps a restored photo. Returns false when another run of this attempt settled it first. */
export async function recordRestored(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  result: RestoredResult,
): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  return db.transaction().execute(async (trx) => {
    await lockOrder(trx, attempt.order.id);
    const settled = await trx
      .updateTable('restoration_jobs')
      .set({
        status: 'succeeded',
        finished_at: now,
        predict_seconds: result.predictSeconds,
        cost_micros: result.costMicros,
        details: JSON.stringify({ ...attempt.job.details, ...result.details }),
        error: null,
      })
      .where('id', '=', attempt.job.id)
      .where('status', 'in', ['queued', 'running'])
      .returning('id')
      .executeTakeFirst();
    if (!settled) return false;
    await trx
      .updateTable('order_images')
      .set({
        status: 'restored',
        restored_key: result.key,
        restored_mime_type: result.output.contentType,
        restored_width: result.output.width,
        restored_height: result.output.height,
        restored_bytes: result.output.bytes,
        restored_checksum_sha256: result.output.sha256,
        error: null,
      })
      .where('id', '=', attempt.image.id)
      .execute();
    await recordOrderEvent(trx, {
      orderId: attempt.order.id,
      type: 'image.restored',
      actor: 'worker',
      data: {
        imageId: attempt.image.id,
        filename: attempt.image.original_filename,
        attempt: attempt.job.attempt,
        provider: attempt.job.provider,
        model: attempt.job.model,
        predictSeconds: result.predictSeconds,
      },
    });
    await settleOrderIfComplete(trx, deps, attempt.order.id);
    return true;
  });
}

export interface FailAttemptOptions {
  reason: string;
  /** Decides between the same model again, the next model of the chain, or failing the photo. */
  kind: AttemptFailureKind;
  details?: Record<string, unknown>;
}

/** Attempts of the photo at the given step of its chain, the failed one included. */
async function attemptsAtStep(
  trx: Kysely<Database>,
  imageId: string,
  step: number,
): Promise<number> {
  const row = await trx
    .selectFrom('restoration_jobs')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('order_image_id', '=', imageId)
    .where('chain_step', '=', step)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Ends an attempt as failed, then queues the next attempt (the same model with backoff, or the next model of
 * the chain at once), or — when no model is left — fails the photo, dead-letters its job and flags the order
 * for an admin. Returns false when the attempt was settled.
 */
export async function failAttempt(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  options: FailAttemptOptions,
): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  const { job, image, order } = attempt;
  return db.transaction().execute(async (trx) => {
    await lockOrder(trx, order.id);
    const settled = await trx
      .updateTable('restoration_jobs')
      .set({
        status: 'failed',
        finished_at: now,
        error: options.reason,
        details: JSON.stringify({ ...job.details, ...options.details }),
      })
      .where('id', '=', job.id)
      .where('status', 'in', ['queued', 'running'])
      .returning('id')
      .executeTakeFirst();
    if (!settled) return false;

    const chain = restorationChainFor(deps.models, order.product_option, deps);
    const madeAtStep = await attemptsAtStep(trx, image.id, job.chain_step);
    const next = nextAttemptAfter({
      kind: options.kind,
      step: job.chain_step,
      chainLength: chain.length,
      attemptsAtStep: madeAtStep,
      maxAttemptsPerModel: deps.settings.maxAttempts,
    });
    const nextStep = next.action === 'give_up' ? undefined : chain[next.step];
    // The same model waits with backoff; another model may start at once.
    const nextAt =
      next.action === 'retry_same_model'
        ? new Date(now.getTime() + deps.settings.retryDelaySeconds * 1000 * 2 ** (madeAtStep - 1))
        : now;
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'restoration.attempt_failed',
      actor: 'worker',
      data: {
        imageId: image.id,
        filename: image.original_filename,
        attempt: job.attempt,
        chainStep: job.chain_step,
        provider: job.provider,
        model: job.model,
        reason: options.reason,
        failure: options.kind,
        next: nextStep ? next.action : 'give_up',
        ...(nextStep
          ? {
              nextAttemptAt: nextAt.toISOString(),
              nextProvider: nextStep.provider.name,
              nextModel: nextStep.model,
            }
          : {}),
      },
    });

    if (nextStep && next.action !== 'give_up') {
      const queued = await trx
        .insertInto('restoration_jobs')
        .values({
          order_id: order.id,
          order_image_id: image.id,
          provider: nextStep.provider.name,
          model: nextStep.model,
          attempt: job.attempt + 1,
          chain_step: next.step,
          status: 'queued',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.jobs.enqueue(
        trx,
        'restoration.run',
        { restorationJobId: queued.id },
        { startAfter: nextAt },
      );
      return true;
    }

    await trx
      .updateTable('order_images')
      .set({ status: 'failed', error: options.reason })
      .where('id', '=', image.id)
      .execute();
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'image.failed',
      actor: 'worker',
      data: {
        imageId: image.id,
        filename: image.original_filename,
        attempts: job.attempt,
        models: chain.map((step) => step.model),
        reason: options.reason,
      },
    });
    await deps.jobs.deadLetter(
      trx,
      'restoration.run',
      { restorationJobId: job.id },
      options.reason,
    );
    await notifyCustomer(trx, {
      orderId: order.id,
      type: 'photo_failed',
      title: `We could not restore ${image.original_filename}`,
      body: 'Our team has been told and will look at it.',
      data: { imageId: image.id },
    });
    await transitionOrder(trx, {
      orderId: order.id,
      from: ['paid', 'processing'],
      to: 'needs_attention',
      actor: 'worker',
      eventType: 'order.needs_attention',
      data: { imageId: image.id, reason: options.reason },
    });
    await settleOrderIfComplete(trx, deps, order.id);
    return true;
  });
}

/**
 * Completes the order when none of its photos is still waiting or running. Call it inside a transaction that
 * locked the order row. The completion email is written and queued in the same transaction.
 */
export async function settleOrderIfComplete(
  trx: Kysely<Database>,
  deps: Pick<RestorationDeps, 'jobs' | 'now' | 'automaticRefunds'>,
  orderId: string,
): Promise<void> {
  const counts = await trx
    .selectFrom('order_images')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn
        .count<string>('id')
        .filterWhere('status', 'in', ['pending', 'processing'])
        .as('unsettled'),
      eb.fn.count<string>('id').filterWhere('status', '=', 'failed').as('failed'),
      eb.fn.count<string>('id').filterWhere('status', '=', 'restored').as('restored'),
    ])
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  if (Number(counts.unsettled) > 0) return;

  const failed = Number(counts.failed);
  const completed = await transitionOrder(trx, {
    orderId,
    from: ['paid', 'processing', 'needs_attention'],
    to: failed > 0 ? 'completed_with_errors' : 'completed',
    actor: 'worker',
    eventType: 'order.completed',
    data: { photos: Number(counts.total), restored: Number(counts.restored), failed },
    set: { completed_at: deps.now?.() ?? new Date() },
  });
  if (!completed) return;
  if (failed > 0) await scheduleAutomaticRefunds(trx, deps, { orderId });
  await notifyCustomer(trx, {
    orderId,
    type: 'order_ready',
    title:
      failed > 0
        ? `${counts.restored} of ${counts.total} photos are restored`
        : 'Your restored photos are ready',
    data: { restored: Number(counts.restored), failed },
  });

  const customer = await trx
    .selectFrom('customers')
    .select('email')
    .where('id', '=', completed.customer_id)
    .executeTakeFirstOrThrow();
  const email = await trx
    .insertInto('email_messages')
    .values({
      order_id: orderId,
      customer_id: completed.customer_id,
      kind: 'restoration_complete',
      to_address: completed.customer_email ?? customer.email,
      template: 'restoration-complete',
      data: JSON.stringify({ orderId }),
      idempotency_key: `restoration-complete:${orderId}`,
    })
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!email) return;
  await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: email.id });
  await recordOrderEvent(trx, {
    orderId,
    type: 'email.queued',
    actor: 'worker',
    data: { kind: 'restoration_complete', emailMessageId: email.id },
  });
}
