/**
 * A restoration attempt that starts while our own storage is unreachable: the model would fetch the original
 * from it and fail, so the attempt must not start; the job is retried with its queue's backoff and the model
 * keeps its attempts. Found by the chaos suite's S3 outage, where such attempts used to burn through the
 * model's retries and fall back to the next model of the chain.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  ReplicateRestorationProvider,
  runRestorationAttempt,
  S3ObjectStore,
} from '@restoreclick/core';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import { findFreePort, waitFor } from '@restoreclick/devkit/testing';
import { composeWorkerDependencies } from '@restoreclick/worker';
import { type FullStack, startFullStack } from '../test/full-stack';
import { startProducerBoss, testWorkerConfig } from '../test/helpers';

describe('restoration attempt while storage is unreachable', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await startFullStack({
      restoration: {
        provider: new ReplicateRestorationProvider({ client: replicate.client() }),
        close: async () => {},
      },
      replicateWebhookSecret: replicate.webhookSecret,
      webhooksToApi: true,
      // The second attempt waits, so the test runs it itself.
      workerEnv: { RESTORATION_RETRY_DELAY_SECONDS: '600' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('fails the job for a retry and leaves the attempt and the model alone', async () => {
    replicate.queueOutcome({ kind: 'fail', error: 'CUDA out of memory' });
    const orderId = await stack.payForOrder({ photos: 1 });
    const { db } = stack.testDb;
    const second = await waitFor(
      () =>
        db
          .selectFrom('restoration_jobs')
          .select(['id', 'status'])
          .where('order_id', '=', orderId)
          .where('attempt', '=', 2)
          .executeTakeFirst(),
      { timeout: 30_000, message: 'the second attempt to be queued' },
    );
    const predictionsBefore = replicate.predictions().length;

    // The worker's own dependencies, with a bucket endpoint nothing listens on.
    const closedPort = await findFreePort();
    const unreachable = new S3ObjectStore(
      new S3Client({
        endpoint: `http://127.0.0.1:${closedPort}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: 1,
      }),
      stack.bucket.bucket,
    );
    const boss = await startProducerBoss(stack.testDb.url);
    try {
      const deps = composeWorkerDependencies({
        config: testWorkerConfig(),
        db,
        objectStore: unreachable,
        stripe: stack.stripe.client(),
        boss,
        logger: pino({ level: 'silent' }),
        restoration: {
          provider: new ReplicateRestorationProvider({ client: replicate.client() }),
          close: async () => {},
        },
      });
      await expect(
        runRestorationAttempt(db, deps.restoration, { restorationJobId: second.id }),
      ).rejects.toThrow();
    } finally {
      await boss.stop({ graceful: false });
    }

    expect(replicate.predictions()).toHaveLength(predictionsBefore);
    const attempt = await db
      .selectFrom('restoration_jobs')
      .select(['status', 'prediction_id'])
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(attempt.status).not.toBe('failed');
    expect(attempt.prediction_id).toBeNull();
  });
});
