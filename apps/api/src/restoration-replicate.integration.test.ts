/**
 * Restoration through Replicate, driven by the real `replicate` client against the local Replicate-compatible
 * server: the webhook path and the polling path, retries of failed attempts, unusable outputs, refused
 * requests, and a photo that fails for good (needs attention, dead letter, then completed with errors).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicateRestorationProvider } from '@restoreclick/core';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { deadLettersOf, type FullStack, startFullStack } from '../test/full-stack';

const MODEL = 'flux-kontext-apps/restore-image';

async function replicateStack(
  replicate: LocalReplicate,
  options: { webhooks: boolean; workerEnv: Record<string, string> },
): Promise<FullStack> {
  return startFullStack({
    restoration: {
      provider: new ReplicateRestorationProvider({
        client: replicate.client(),
        costMicrosPerSecond: { [MODEL]: 1400 },
      }),
      close: async () => {},
    },
    replicateWebhookSecret: replicate.webhookSecret,
    webhooksToApi: options.webhooks,
    workerEnv: options.workerEnv,
  });
}

function attemptsOf(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('restoration_jobs')
    .select(['attempt', 'status', 'error', 'prediction_id', 'model', 'cost_micros'])
    .where('order_id', '=', orderId)
    .orderBy('attempt')
    .execute();
}

async function onlyImage(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('order_images')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
}

describe('restoration through Replicate webhooks', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    // Scheduled polls are five minutes away: only a webhook can finish anything in these tests.
    stack = await replicateStack(replicate, {
      webhooks: true,
      workerEnv: { RESTORATION_POLL_DELAY_SECONDS: '300', QUEUE_CONCURRENCY: 'restoration.run=1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('sends a presigned URL, completes from the webhook and records prediction, timing and cost', async () => {
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed');

    const [prediction] = replicate.predictions();
    const sentUrl = String(prediction?.input.input_image);
    expect(sentUrl).toMatch(/\/uploads\/originals\/.+\.jpg\?.*X-Amz-Signature=/);
    expect(replicate.deliveries().some((delivery) => delivery.status === 200)).toBe(true);

    const [attempt] = await attemptsOf(stack, orderId);
    expect(attempt).toMatchObject({
      attempt: 1,
      status: 'succeeded',
      prediction_id: prediction?.id,
      model: MODEL,
    });
    expect(attempt?.cost_micros).toBeGreaterThanOrEqual(0);
    const image = await onlyImage(stack, orderId);
    expect(image.status).toBe('restored');
    expect(await stack.store.head(image.restored_key ?? '')).toBeDefined();
    const webhooks = await stack.testDb.db
      .selectFrom('provider_webhook_events')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(webhooks.n)).toBeGreaterThanOrEqual(1);
  });

  it('completes with 3 attempts when the model fails twice, then succeeds', async () => {
    replicate.queueOutcome({ kind: 'fail', error: 'CUDA out of memory' }, { times: 2 });
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed');
    const attempts = await attemptsOf(stack, orderId);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
    expect(attempts[0]?.error).toBe('CUDA out of memory');
    expect(await deadLettersOf(stack, orderId)).toBe(0);
  });

  it('fails a photo for good after 3 failed attempts: needs attention, dead letter, then completed with errors', async () => {
    // One worker slot: the first photo's attempts fail one after another while the second photo is slow.
    replicate.queueOutcome({ kind: 'fail', error: 'model crashed' });
    replicate.queueOutcome({ kind: 'slow', processingMs: 8_000 });
    replicate.queueOutcome({ kind: 'fail', error: 'model crashed' }, { times: 2 });
    const orderId = await stack.payForOrder({ photos: 2 });

    await stack.waitForOrderStatus(orderId, 'needs_attention');
    const images = await stack.testDb.db
      .selectFrom('order_images')
      .select(['status', 'error'])
      .where('order_id', '=', orderId)
      .execute();
    expect(images.map((image) => image.status).sort()).toEqual(['failed', 'processing']);
    expect(images.find((image) => image.status === 'failed')?.error).toBe('model crashed');
    expect(await deadLettersOf(stack, orderId)).toBe(1);

    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    const attempts = await attemptsOf(stack, orderId);
    expect(attempts.filter((attempt) => attempt.status === 'failed')).toHaveLength(3);
    await waitFor(
      async () =>
        (
          await stack.testDb.db
            .selectFrom('email_messages')
            .select('status')
            .where('order_id', '=', orderId)
            .where('kind', '=', 'restoration_complete')
            .execute()
        ).some((email) => email.status === 'sent'),
      { timeout: 15_000, message: 'the completion email' },
    );
  });

  it.each([
    { outcome: 'identical-output' as const, reason: 'The model returned the photo unchanged.' },
    { outcome: 'not-an-image' as const, reason: /not an image/ },
  ])(
    'retries an output that is $outcome, then fails the photo with that reason',
    async ({ outcome, reason }) => {
      replicate.queueOutcome({ kind: outcome }, { times: 3 });
      const orderId = await stack.payForOrder({ photos: 1 });
      await stack.waitForOrderStatus(orderId, 'completed_with_errors');
      const attempts = await attemptsOf(stack, orderId);
      expect(attempts.map((attempt) => attempt.status)).toEqual(['failed', 'failed', 'failed']);
      expect((await onlyImage(stack, orderId)).error).toMatch(reason);
    },
  );

  it('fails a photo at once when Replicate refuses the request (4xx), without retrying', async () => {
    replicate.queueOutcome({ kind: 'http-error', status: 422, detail: 'input_image is invalid' });
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    const attempts = await attemptsOf(stack, orderId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.error).toMatch(/input_image is invalid/);
    expect(await deadLettersOf(stack, orderId)).toBe(1);
  });
});

describe('restoration through Replicate without webhooks', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await replicateStack(replicate, {
      webhooks: false,
      workerEnv: { RESTORATION_POLL_DELAY_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('finds the result by polling when no webhook is asked for or sent', async () => {
    replicate.queueOutcome({ kind: 'no-webhook' });
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed');
    expect(replicate.deliveries()).toEqual([]);
    const [attempt] = await attemptsOf(stack, orderId);
    expect(attempt?.status).toBe('succeeded');
  });
});
