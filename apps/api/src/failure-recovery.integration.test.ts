/**
 * Failure recovery end to end (real Postgres, the local Stripe and Replicate servers, the in-process worker):
 * the fallback chain of models, automatic refunds of photos no model could restore (after the grace period,
 * exactly once, one email; stopped or hurried by an admin through the admin API), and the sweeper that drives again orders whose
 * jobs were lost and predictions left pending past their limit.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AutomaticRefundView,
  issueDueAutomaticRefunds,
  ReplicateRestorationProvider,
} from '@restoreclick/core';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type AdminClient, signedInClient } from '../test/admin';
import { type FullStack, startFullStack } from '../test/full-stack';

const FACE_MODEL = 'acme/face-restore';
const GENERAL_MODEL = 'acme/general-restore';
const MODEL_CHAIN = JSON.stringify({
  default: [{ model: FACE_MODEL }, { model: GENERAL_MODEL }],
});
/** The default price table: 9.00 a photo. */
const PHOTO_PRICE = 900;

async function recoveryStack(
  replicate: LocalReplicate,
  workerEnv: Record<string, string>,
): Promise<FullStack> {
  return startFullStack({
    restoration: {
      provider: new ReplicateRestorationProvider({ client: replicate.client() }),
      close: async () => {},
    },
    replicateWebhookSecret: replicate.webhookSecret,
    webhooksToApi: true,
    workerEnv: {
      RESTORATION_MODELS: MODEL_CHAIN,
      MAX_RESTORATION_ATTEMPTS: '2',
      // Scheduled polls are a minute away: webhooks finish predictions, or the sweeper does.
      RESTORATION_POLL_DELAY_SECONDS: '300',
      ...workerEnv,
    },
  });
}

function attemptsOf(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('restoration_jobs')
    .innerJoin('order_images', 'order_images.id', 'restoration_jobs.order_image_id')
    .select([
      'restoration_jobs.id',
      'restoration_jobs.model',
      'restoration_jobs.status',
      'restoration_jobs.chain_step',
      'restoration_jobs.prediction_id',
      'restoration_jobs.started_at',
      'order_images.position',
    ])
    .where('restoration_jobs.order_id', '=', orderId)
    .orderBy('order_images.position')
    .orderBy('restoration_jobs.attempt')
    .execute();
}

async function eventsOf(stack: FullStack, orderId: string, type?: string) {
  let query = stack.testDb.db
    .selectFrom('order_events')
    .select(['type', 'data', 'to_status'])
    .where('order_id', '=', orderId)
    .orderBy('id');
  if (type) query = query.where('type', '=', type);
  return query.execute();
}

async function orderOf(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
}

/** The refunds the local Stripe server holds for the order's payment. */
async function stripeRefundsOf(stack: FullStack, orderId: string) {
  const order = await orderOf(stack, orderId);
  const refunds = await stack.stripe
    .client()
    .refunds.list({ payment_intent: order.stripe_payment_intent_id ?? '' });
  return refunds.data;
}

function refundEmailsOf(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('email_messages')
    .select(['id', 'status', 'subject', 'text'])
    .where('order_id', '=', orderId)
    .where('kind', '=', 'images_refunded')
    .execute();
}

/** Jobs of the queue for this restoration attempt that are waiting, retrying or running. */
async function liveJobsOf(stack: FullStack, queue: string, restorationJobId: string) {
  const { rows } = await sql<{ id: string; state: string }>`
    select id, state from pgboss.job
    where name = ${queue} and data->>'restorationJobId' = ${restorationJobId}
      and state in ('created', 'retry', 'active')
  `.execute(stack.testDb.db);
  return rows;
}

/** Loses the attempt's queued jobs, as a broken queue or a restored backup would. */
async function loseJobsOf(stack: FullStack, restorationJobId: string): Promise<void> {
  await sql`
    delete from pgboss.job
    where name in ('restoration.run', 'restoration.poll')
      and data->>'restorationJobId' = ${restorationJobId}
      and state in ('created', 'retry')
  `.execute(stack.testDb.db);
}

/** The worker's refund dependencies: the same Stripe client and queue the delayed job uses. */
function refundDepsOf(stack: FullStack) {
  if (!stack.workerDeps) throw new Error('this stack runs no in-process worker');
  return stack.workerDeps.refunds;
}

async function sweepNow(stack: FullStack): Promise<void> {
  await stack.api.jobs.enqueue(stack.testDb.db, 'orders.sweep-stuck', {});
}

describe('fallback chain and automatic refunds', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await recoveryStack(replicate, {
      AUTO_REFUND_GRACE_MINUTES: '0.05',
      PREDICTION_EXPECTED_SECONDS: '1',
      RESTORATION_TIMEOUT_SECONDS: '3',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('restores with the next model when the first one fails, and refunds nothing', async () => {
    replicate.setModelOutcome(FACE_MODEL, { kind: 'fail', error: 'face model crashed' });
    try {
      const orderId = await stack.payForOrder({ photos: 1 });
      await stack.waitForOrderStatus(orderId, 'completed');

      const attempts = await attemptsOf(stack, orderId);
      expect(attempts.map((attempt) => [attempt.model, attempt.status])).toEqual([
        [FACE_MODEL, 'failed'],
        [FACE_MODEL, 'failed'],
        [GENERAL_MODEL, 'succeeded'],
      ]);
      const failures = await eventsOf(stack, orderId, 'restoration.attempt_failed');
      expect(failures.map((event) => [event.data.model, event.data.next])).toEqual([
        [FACE_MODEL, 'retry_same_model'],
        [FACE_MODEL, 'next_model'],
      ]);
      expect(failures[1]?.data.nextModel).toBe(GENERAL_MODEL);
      const [restored] = await eventsOf(stack, orderId, 'image.restored');
      expect(restored?.data.model).toBe(GENERAL_MODEL);
      expect(
        await stack.testDb.db
          .selectFrom('automatic_refunds')
          .select('id')
          .where('order_id', '=', orderId)
          .execute(),
      ).toEqual([]);
      expect(await stripeRefundsOf(stack, orderId)).toEqual([]);
    } finally {
      replicate.setModelOutcome(FACE_MODEL, undefined);
    }
  });

  it('refunds the one photo no model could restore after the grace period, exactly once, with one email', async () => {
    const orderId = await stack.payForOrder({ photos: 3, unreadable: [1] });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    const images = await stack.testDb.db
      .selectFrom('order_images')
      .select(['id', 'status', 'position'])
      .where('order_id', '=', orderId)
      .orderBy('position')
      .execute();
    expect(images.map((image) => image.status)).toEqual(['restored', 'failed', 'restored']);
    const failedAttempts = (await attemptsOf(stack, orderId)).filter(
      (attempt) => attempt.position === images[1]?.position,
    );
    // Both models were tried on it, each as often as allowed.
    expect(failedAttempts.map((attempt) => attempt.model)).toEqual([
      FACE_MODEL,
      FACE_MODEL,
      GENERAL_MODEL,
      GENERAL_MODEL,
    ]);

    await waitFor(async () => (await stripeRefundsOf(stack, orderId)).length > 0, {
      timeout: 30_000,
      message: 'the automatic refund at the local Stripe server',
    });
    await waitFor(async () => (await orderOf(stack, orderId)).amount_refunded > 0, {
      timeout: 15_000,
      message: 'the refund webhook to be applied',
    });
    const order = await orderOf(stack, orderId);
    expect(order.status).toBe('completed_with_errors');
    expect(order.amount_refunded).toBe(PHOTO_PRICE);
    const [refund] = await stripeRefundsOf(stack, orderId);
    expect(refund?.amount).toBe(PHOTO_PRICE);
    expect(refund?.metadata).toMatchObject({ order_image_id: images[1]?.id });

    await waitFor(
      async () => (await refundEmailsOf(stack, orderId)).some((email) => email.status === 'sent'),
      { timeout: 15_000, message: 'the refund email' },
    );
    const [email, ...others] = await refundEmailsOf(stack, orderId);
    expect(others).toEqual([]);
    expect(email?.subject).toContain('Refund of $9.00 for 1 photo');
    expect(email?.text).toContain('grandma-2.jpg');

    // The refund step again (a replayed job, or the sweeper) refunds nothing more and writes no second email.
    const again = await issueDueAutomaticRefunds(stack.testDb.db, refundDepsOf(stack), {
      orderId,
    });
    expect(again).toMatchObject({ issued: 0, emailMessageId: null });
    expect(await stripeRefundsOf(stack, orderId)).toHaveLength(1);
    expect(await refundEmailsOf(stack, orderId)).toHaveLength(1);
    expect(await eventsOf(stack, orderId, 'refund.automatic_issued')).toHaveLength(1);
  });

  it('refunds the whole order when no photo could be restored', async () => {
    const orderId = await stack.payForOrder({ photos: 2, unreadable: [0, 1] });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    await stack.waitForOrderStatus(orderId, 'refunded');
    const refunds = await stripeRefundsOf(stack, orderId);
    expect(refunds.map((refund) => refund.amount)).toEqual([PHOTO_PRICE, PHOTO_PRICE]);
    expect((await orderOf(stack, orderId)).amount_refunded).toBe(2 * PHOTO_PRICE);
    await waitFor(async () => (await refundEmailsOf(stack, orderId)).length > 0, {
      timeout: 15_000,
      message: 'the refund email',
    });
    const emails = await refundEmailsOf(stack, orderId);
    expect(emails).toHaveLength(1);
  });

  it('polls a prediction left pending, cancels it past the hard limit and restores with the next model', async () => {
    replicate.setModelOutcome(FACE_MODEL, { kind: 'slow', processingMs: 120_000 });
    try {
      const orderId = await stack.payForOrder({ photos: 1 });
      let faceAttempt: Awaited<ReturnType<typeof attemptsOf>>[number] | undefined;
      await waitFor(
        async () => {
          [faceAttempt] = await attemptsOf(stack, orderId);
          return (
            faceAttempt?.prediction_id != null &&
            (await liveJobsOf(stack, 'restoration.poll', faceAttempt.id)).length > 0
          );
        },
        { timeout: 15_000, message: 'the face model prediction and its scheduled poll' },
      );
      const attemptId = faceAttempt?.id ?? '';
      await loseJobsOf(stack, attemptId);
      await waitFor(
        async () => {
          const [attempt] = await attemptsOf(stack, orderId);
          return Date.now() - (attempt?.started_at?.getTime() ?? Date.now()) > 3_500;
        },
        { timeout: 10_000, message: 'the prediction to run past its 3 s limit' },
      );

      // Again, in case the sweeper's cron polled it meanwhile and scheduled the next poll a minute away.
      await loseJobsOf(stack, attemptId);
      await sweepNow(stack);
      await stack.waitForOrderStatus(orderId, 'completed');

      const attempts = await attemptsOf(stack, orderId);
      expect(attempts.map((attempt) => [attempt.model, attempt.status])).toEqual([
        [FACE_MODEL, 'failed'],
        [GENERAL_MODEL, 'succeeded'],
      ]);
      const [failure] = await eventsOf(stack, orderId, 'restoration.attempt_failed');
      expect(failure?.data).toMatchObject({ failure: 'timed_out', next: 'next_model' });
      expect(await eventsOf(stack, orderId, 'restoration.prediction_repolled')).not.toEqual([]);
      const cancelled = replicate
        .predictions()
        .find((prediction) => prediction.id === faceAttempt?.prediction_id);
      expect(cancelled?.status).toBe('canceled');
    } finally {
      replicate.setModelOutcome(FACE_MODEL, undefined);
    }
  });
});

describe('admin overrides and the stuck-order sweeper', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;
  let admin: AdminClient & { user: { id: string } };

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await recoveryStack(replicate, {
      AUTO_REFUND_GRACE_MINUTES: '60',
      STUCK_ORDER_MINUTES: '0',
    });
    admin = await signedInClient(stack.apiUrl, stack.testDb.db, 'admin');
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('refunds nothing when an admin stops the automatic refund during the grace period', async () => {
    const orderId = await stack.payForOrder({ photos: 2, unreadable: [0] });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    const { refunds: shown } = await admin.get<{ refunds: AutomaticRefundView[] }>(
      'recovery.automaticRefunds',
      { id: orderId },
    );
    expect(shown).toMatchObject([{ status: 'pending', amount: PHOTO_PRICE, amountFixed: false }]);
    expect(Date.parse(shown[0]?.dueAt ?? '')).toBeGreaterThan(Date.now() + 50 * 60_000);

    const { refunds: stopped } = await admin.run<{ refunds: AutomaticRefundView[] }>(
      'recovery.cancelAutomaticRefund',
      { id: orderId, reason: 'The customer sent a better scan; we will retry it.' },
    );
    expect(stopped.map((refund) => [refund.status, refund.decidedBy])).toEqual([
      ['cancelled', `admin:${admin.user.id}`],
    ]);
    const again = await admin.mutate('recovery.cancelAutomaticRefund', {
      id: orderId,
      reason: 'again',
    });
    expect(again).toMatchObject({ ok: false, error: { data: { code: 'CONFLICT' } } });

    // The grace period ends: the delayed job runs and finds nothing to refund.
    const lateRun = await issueDueAutomaticRefunds(
      stack.testDb.db,
      { ...refundDepsOf(stack), now: () => new Date(Date.now() + 2 * 3_600_000) },
      { orderId },
    );
    expect(lateRun).toMatchObject({ issued: 0, emailMessageId: null });
    expect(await stripeRefundsOf(stack, orderId)).toEqual([]);
    expect(await refundEmailsOf(stack, orderId)).toEqual([]);
    expect((await orderOf(stack, orderId)).status).toBe('completed_with_errors');
    const audit = await stack.testDb.db
      .selectFrom('audit_logs')
      .select(['action', 'admin_user_id'])
      .where('entity_id', '=', orderId)
      .execute();
    expect(audit).toEqual([
      { action: 'order.automatic_refund.cancel', admin_user_id: admin.user.id },
    ]);
  });

  it('issues the refund at once when an admin asks, without waiting for the grace period', async () => {
    const orderId = await stack.payForOrder({ photos: 2, unreadable: [1] });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');

    const result = await admin.run<{
      issued: number;
      amountIssued: number;
      refunds: AutomaticRefundView[];
    }>('recovery.refundNow', { id: orderId, reason: 'Customer asked on the phone' });
    expect(result).toMatchObject({ issued: 1, amountIssued: PHOTO_PRICE });
    expect(result.refunds.map((refund) => [refund.status, refund.amount])).toEqual([
      ['issued', PHOTO_PRICE],
    ]);
    expect((await stripeRefundsOf(stack, orderId)).map((refund) => refund.amount)).toEqual([
      PHOTO_PRICE,
    ]);
    await waitFor(async () => (await orderOf(stack, orderId)).amount_refunded === PHOTO_PRICE, {
      timeout: 15_000,
      message: 'the refund webhook to be applied',
    });
    expect((await orderOf(stack, orderId)).status).toBe('completed_with_errors');
    expect(await refundEmailsOf(stack, orderId)).toHaveLength(1);
    // Asking again refunds nothing more.
    const twice = await admin.mutate('recovery.refundNow', { id: orderId });
    expect(twice).toMatchObject({ ok: false, error: { data: { code: 'CONFLICT' } } });
    expect(await stripeRefundsOf(stack, orderId)).toHaveLength(1);
  });

  it('finds an order whose poll job was lost and completes it', async () => {
    replicate.queueOutcome({ kind: 'no-webhook' });
    const orderId = await stack.payForOrder({ photos: 1 });
    let attemptId = '';
    await waitFor(
      async () => {
        const [attempt] = await attemptsOf(stack, orderId);
        attemptId = attempt?.id ?? '';
        return (
          attempt?.prediction_id != null &&
          (await liveJobsOf(stack, 'restoration.run', attemptId)).length === 0 &&
          (await liveJobsOf(stack, 'restoration.poll', attemptId)).length > 0
        );
      },
      { timeout: 15_000, message: 'the prediction waiting for its scheduled poll' },
    );
    await loseJobsOf(stack, attemptId);

    await sweepNow(stack);
    await stack.waitForOrderStatus(orderId, 'completed');
    const [swept] = await eventsOf(stack, orderId, 'order.swept');
    expect(swept?.data).toMatchObject({
      sweep: 1,
      redriven: [{ restorationJobId: attemptId, queue: 'restoration.poll' }],
    });
  });

  it('drives an order again each time its jobs are lost, and alerts the admins on the second sweep', async () => {
    // Replicate is down twice: each attempt's job waits for a retry, and the test loses it from the queue.
    replicate.queueOutcome(
      { kind: 'http-error', status: 503, detail: 'maintenance' },
      { times: 2 },
    );
    const orderId = await stack.payForOrder({ photos: 1 });
    const loseRetryingJob = async () => {
      let attemptId = '';
      await waitFor(
        async () => {
          const [attempt] = await attemptsOf(stack, orderId);
          attemptId = attempt?.id ?? '';
          const jobs = await liveJobsOf(stack, 'restoration.run', attemptId);
          return jobs.length === 1 && jobs[0]?.state === 'retry';
        },
        { timeout: 15_000, message: 'the attempt to wait for a retry' },
      );
      await loseJobsOf(stack, attemptId);
    };

    await loseRetryingJob();
    await sweepNow(stack);
    await waitFor(async () => (await eventsOf(stack, orderId, 'order.swept')).length === 1, {
      timeout: 15_000,
      message: 'the first sweep',
    });
    await loseRetryingJob();
    await sweepNow(stack);
    await stack.waitForOrderStatus(orderId, 'completed');

    const sweeps = await eventsOf(stack, orderId, 'order.swept');
    expect(sweeps.map((event) => event.data.sweep)).toEqual([1, 2]);
    const alerts = await eventsOf(stack, orderId, 'order.needs_attention');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ to_status: 'needs_attention', data: { sweeps: 2 } });
    const attempts = await attemptsOf(stack, orderId);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['succeeded']);
  });
});
