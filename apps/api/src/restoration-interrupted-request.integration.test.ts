/**
 * A restoration attempt interrupted after Replicate made its prediction but before the prediction's id was
 * saved (the worker died, or the answer was lost on the way back): the retry finds that prediction among the
 * account's recent ones, by the fingerprint of the photo URL it sent, and follows it. The model runs once per
 * photo; before, every such interruption paid for a second prediction (102 for 100 photos in the chaos run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatePredictionInput, ReplicateRestorationProvider } from '@restoreclick/core';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';

/** Other traffic of the same Replicate account, made after ours: more than a page of the list. */
const OTHER_PREDICTIONS = 5;

describe('restoration attempt interrupted after the prediction was made', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;
  let interruptions = 0;

  beforeAll(async () => {
    // Two predictions a page, so the retry has to read past the first pages to find its own.
    replicate = await startLocalReplicate({ listPageSize: 2 });
    const provider = new ReplicateRestorationProvider({ client: replicate.client() });
    const createPrediction = provider.createPrediction.bind(provider);
    // The first request of all goes through and then the process "stops": the id is never saved.
    provider.createPrediction = async (input: CreatePredictionInput) => {
      const prediction = await createPrediction(input);
      if (interruptions === 0) {
        interruptions += 1;
        const other = replicate.client();
        for (let index = 0; index < OTHER_PREDICTIONS; index += 1) {
          await other.predictions.create({
            model: 'someone-else/another-model',
            input: { [input.imageInputKey ?? 'image']: `https://example.invalid/${index}.jpg` },
          });
        }
        throw new Error('the worker stopped before saving the prediction');
      }
      return prediction;
    };
    stack = await startFullStack({
      restoration: { provider, close: async () => {} },
      replicateWebhookSecret: replicate.webhookSecret,
      webhooksToApi: true,
      workerEnv: { RESTORATION_RETRY_DELAY_SECONDS: '1', QUEUE_CONCURRENCY: 'restoration.run=1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('follows the prediction it already made instead of paying for a second one', async () => {
    const orderId = await stack.payForOrder({ photos: 2 });
    const { db } = stack.testDb;
    await waitFor(
      async () => {
        const order = await db
          .selectFrom('orders')
          .select('status')
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow();
        return order.status === 'completed';
      },
      { timeout: 60_000, message: 'the order to complete' },
    );
    expect(interruptions).toBe(1);

    const ours = replicate
      .predictions()
      .filter((prediction) => prediction.model !== 'someone-else/another-model');
    expect(ours).toHaveLength(2); // one per photo
    const attempts = await db
      .selectFrom('restoration_jobs')
      .select(['attempt', 'status', 'prediction_id'])
      .where('order_id', '=', orderId)
      .execute();
    expect(attempts).toHaveLength(2); // one attempt per photo: nothing failed over
    expect(attempts.every((attempt) => attempt.status === 'succeeded')).toBe(true);
    expect(new Set(attempts.map((attempt) => attempt.prediction_id))).toEqual(
      new Set(ours.map((prediction) => prediction.id)),
    );

    const images = await db
      .selectFrom('order_images')
      .select(['status', 'restored_key'])
      .where('order_id', '=', orderId)
      .execute();
    expect(images.every((image) => image.status === 'restored' && image.restored_key)).toBe(true);

    const recovered = await db
      .selectFrom('order_events')
      .select('data')
      .where('order_id', '=', orderId)
      .where('type', '=', 'restoration.prediction_recovered')
      .execute();
    expect(recovered).toHaveLength(1);
    expect(ours.map((prediction) => prediction.id)).toContain(recovered[0]?.data.predictionId);
  });
});
