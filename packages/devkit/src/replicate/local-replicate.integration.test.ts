/**
 * The local Replicate server, driven through the real `replicate` client and our `ReplicateRestorationProvider`,
 * with webhooks verified by `verifyReplicateWebhook`: every outcome a test can choose, as our code sees it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  imageUrlFingerprint,
  type Prediction,
  ReplicateRestorationProvider,
  RestorationPermanentError,
  RestorationRetryableError,
  verifyReplicateWebhook,
  WebhookVerificationError,
} from '@restoreclick/core';
import Replicate from 'replicate';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for';
import { connectLocalReplicateControls } from './control-client';
import { type LocalReplicate, startLocalReplicate } from './local-replicate';

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function listenOnFreePort(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A small photo-like PNG: noise, so sharpening visibly changes it. */
function makePhoto(width = 40, height = 30): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 120, g: 90, b: 60 },
      noise: { type: 'gaussian', mean: 110, sigma: 30 },
    },
  })
    .png()
    .toBuffer();
}

function isUnder<T extends Error>(type: new (...args: never[]) => T) {
  return (error: unknown) => error instanceof type;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('local Replicate server through ReplicateRestorationProvider', () => {
  let local: LocalReplicate;
  let provider: ReplicateRestorationProvider;
  let photo: Buffer;
  let photos: Server;
  let photoUrl: string;
  let missingPhotoUrl: string;
  let receiver: Server;
  let webhookUrl: string;
  let received: ReceivedWebhook[] = [];
  let refusalsToSend = 0;

  beforeAll(async () => {
    photo = await makePhoto();
    photos = createServer((request, response) => {
      if (request.url?.startsWith('/photo.png')) {
        response.writeHead(200, { 'content-type': 'image/png' }).end(photo);
      } else {
        response.writeHead(404).end('no such photo');
      }
    });
    const photosUrl = await listenOnFreePort(photos);
    // A query like a presigned URL's, which must reach the photo server intact.
    photoUrl = `${photosUrl}/photo.png?X-Amz-Signature=abc123`;
    missingPhotoUrl = `${photosUrl}/missing.png`;

    receiver = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (refusalsToSend > 0) {
        refusalsToSend -= 1;
        response.writeHead(500).end();
        return;
      }
      received.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(200).end('{}');
    });
    webhookUrl = `${await listenOnFreePort(receiver)}/webhooks/replicate`;

    local = await startLocalReplicate({ retryScheduleMs: [50, 100, 200] });
    provider = new ReplicateRestorationProvider({
      client: local.client(),
      costMicrosPerSecond: { 'acme/restore': 1150 },
    });
  });
  afterEach(async () => {
    await local.deliveriesIdle();
    local.reset();
    received = [];
    refusalsToSend = 0;
  });
  afterAll(async () => {
    await local?.stop();
    await close(receiver);
    await close(photos);
  });

  function verify(webhook: ReceivedWebhook, rawBody: Buffer | string = webhook.rawBody) {
    return verifyReplicateWebhook({
      headers: {
        id: header(webhook.headers, 'webhook-id'),
        timestamp: header(webhook.headers, 'webhook-timestamp'),
        signature: header(webhook.headers, 'webhook-signature'),
      },
      rawBody,
      secret: local.webhookSecret,
    });
  }

  /** The first verified webhook about this prediction in a final state. */
  function settledWebhook(predictionId: string) {
    return waitFor(
      () =>
        received
          .map((webhook) => ({ webhook, verified: verify(webhook) }))
          .find(
            ({ verified }) =>
              verified.prediction.id === predictionId &&
              ['succeeded', 'failed', 'canceled'].includes(verified.prediction.status),
          ),
      { message: `a final webhook for ${predictionId}` },
    );
  }

  function pollUntil(predictionId: string, done: (prediction: Prediction) => boolean) {
    return waitFor(
      async () => {
        const prediction = await provider.getPrediction(predictionId);
        return done(prediction) ? prediction : undefined;
      },
      { message: `prediction ${predictionId} to reach the expected state` },
    );
  }

  it('runs a model, delivers a signed completed webhook, and serves a decodable 2× output', async () => {
    const created = await provider.createPrediction({
      model: 'acme/restore',
      imageUrl: photoUrl,
      extraInput: { scale: 2 },
      webhookUrl,
    });
    expect(created.status).toBe('starting');

    const { webhook, verified } = await settledWebhook(created.id);
    expect(verified.webhookId).toMatch(/^msg_/);
    expect(verified.prediction).toMatchObject({
      id: created.id,
      status: 'succeeded',
      outputUrl: `${local.url}/files/${created.id}/output.png`,
      error: null,
    });
    expect(verified.prediction.predictSeconds).toBeGreaterThanOrEqual(0);
    expect(verified.prediction.completedAt).toBeInstanceOf(Date);

    const tampered = webhook.rawBody.toString('utf8').replace('"succeeded"', '"failed"');
    expect(() => verify(webhook, tampered)).toThrow(WebhookVerificationError);

    const outputUrl = verified.prediction.outputUrl ?? '';
    const output = await provider.downloadOutput(outputUrl, { maxBytes: 5_000_000 });
    const metadata = await sharp(output).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
      format: 'png',
      width: 80,
      height: 60,
    });
    expect(output.equals(photo)).toBe(false);

    const [sent] = local.predictions();
    expect(sent).toMatchObject({
      id: created.id,
      model: 'acme/restore',
      input: { image: photoUrl, scale: 2 },
      webhook: webhookUrl,
      webhook_events_filter: ['completed'],
    });
    await local.deliveriesIdle();
    expect(local.deliveries().map(({ event, status }) => ({ event, status }))).toEqual([
      { event: 'completed', status: 200 },
    ]);
  });

  it('runs a pinned version through POST /v1/predictions with the model’s own image field', async () => {
    local.queueOutcome({ kind: 'succeed', outputAsList: true });
    const created = await provider.createPrediction({
      model: 'acme/restore:5c7d5dc6dd8bf75c',
      imageUrl: photoUrl,
      imageInputKey: 'input_image',
      extraInput: { input_image: 'http://ignored.test/not-the-photo.png', fidelity: 0.7 },
    });
    await local.waitForSettled(created.id);

    const polled = await provider.getPrediction(created.id);
    expect(polled.status).toBe('succeeded');
    expect(polled.outputUrl).toBe(`${local.url}/files/${created.id}/output.png`);
    expect(local.predictions()[0]).toMatchObject({
      version: '5c7d5dc6dd8bf75c',
      input: { input_image: photoUrl, fidelity: 0.7 },
    });
    expect(local.predictions()[0]?.output).toEqual([polled.outputUrl]);
    expect(provider.costMicrosPerSecond('acme/restore:5c7d5dc6dd8bf75c')).toBe(1150);
    expect(provider.costMicrosPerSecond('acme/other')).toBeUndefined();
  });

  it('retries a refused webhook with the same webhook-id until the receiver accepts it', async () => {
    refusalsToSend = 2;
    const created = await provider.createPrediction({
      model: 'acme/restore',
      imageUrl: photoUrl,
      webhookUrl,
    });
    const { verified } = await settledWebhook(created.id);
    await local.deliveriesIdle();

    const attempts = local.deliveries();
    expect(attempts.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 500 },
      { attempt: 2, status: 500 },
      { attempt: 3, status: 200 },
    ]);
    expect(new Set(attempts.map((attempt) => attempt.webhookId))).toEqual(
      new Set([verified.webhookId]),
    );
  });

  it('finishes without calling the webhook under no-webhook, so only polling finds the result', async () => {
    local.queueOutcome({ kind: 'no-webhook' });
    const created = await provider.createPrediction({
      model: 'acme/restore',
      imageUrl: photoUrl,
      webhookUrl,
    });

    const polled = await pollUntil(created.id, (prediction) => prediction.status === 'succeeded');
    expect(polled.outputUrl).toBe(`${local.url}/files/${created.id}/output.png`);
    await local.deliveriesIdle();
    expect(local.deliveries()).toEqual([]);
    expect(received).toEqual([]);
  });

  it('reports a failed prediction with the model’s error, by webhook and by polling', async () => {
    local.setModelOutcome('acme/broken', { kind: 'fail', error: 'CUDA out of memory' });
    const created = await provider.createPrediction({
      model: 'acme/broken',
      imageUrl: photoUrl,
      webhookUrl,
    });

    const { verified } = await settledWebhook(created.id);
    expect(verified.prediction).toMatchObject({
      status: 'failed',
      error: 'CUDA out of memory',
      outputUrl: null,
    });
    expect(await provider.getPrediction(created.id)).toMatchObject({
      status: 'failed',
      error: 'CUDA out of memory',
    });
  });

  it('fails the prediction when its input cannot be downloaded', async () => {
    const created = await provider.createPrediction({
      model: 'acme/restore',
      imageUrl: missingPhotoUrl,
    });
    const settled = await local.waitForSettled(created.id);
    expect(settled.status).toBe('failed');
    expect(settled.error).toMatch(/HTTP 404/);
  });

  it('keeps a slow prediction processing until its time is up', async () => {
    local.queueOutcome({ kind: 'slow', processingMs: 400 });
    const created = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });

    await pollUntil(created.id, (prediction) => prediction.status === 'processing');
    const settled = await local.waitForSettled(created.id);
    expect(settled.status).toBe('succeeded');
    expect(settled.metrics.predict_time).toBeGreaterThanOrEqual(0.4);
    expect((await provider.getPrediction(created.id)).predictSeconds).toBeGreaterThanOrEqual(0.4);
  });

  it('cancels a processing prediction and sends the canceled prediction by webhook', async () => {
    local.queueOutcome({ kind: 'slow', processingMs: 60_000 });
    const created = await provider.createPrediction({
      model: 'acme/restore',
      imageUrl: photoUrl,
      webhookUrl,
    });
    await pollUntil(created.id, (prediction) => prediction.status === 'processing');

    await provider.cancelPrediction(created.id);

    expect(await provider.getPrediction(created.id)).toMatchObject({
      status: 'canceled',
      outputUrl: null,
    });
    const { verified } = await settledWebhook(created.id);
    expect(verified.prediction.status).toBe('canceled');
    // Cancelling again answers the prediction as it is.
    await expect(provider.cancelPrediction(created.id)).resolves.toBeUndefined();
  });

  it('maps a 500 on create to a retryable error and a 422 to a permanent one', async () => {
    local.queueOutcome({ kind: 'http-error', status: 500 });
    local.queueOutcome({ kind: 'http-error', status: 422, detail: 'input.scale: must be ≤ 4' });
    const input = { model: 'acme/restore', imageUrl: photoUrl };

    const serverError = await rejection(provider.createPrediction(input));
    expect(serverError).toBeInstanceOf(RestorationRetryableError);
    const invalid = await rejection(provider.createPrediction(input));
    expect(invalid).toBeInstanceOf(RestorationPermanentError);
    expect((invalid as Error).message).toMatch(/must be ≤ 4/);
    expect(local.predictions()).toEqual([]);
  });

  it('maps a rate limit on create to a retryable error carrying Retry-After', async () => {
    local.setModelOutcome('acme/busy', { kind: 'http-error', status: 429, retryAfterSeconds: 7 });

    const error = await rejection(
      provider.createPrediction({ model: 'acme/busy', imageUrl: photoUrl }),
    );

    expect(error).toBeInstanceOf(RestorationRetryableError);
    expect((error as RestorationRetryableError).retryAfterMs).toBe(7000);
  });

  it('refuses to download an output that is gone, permanently', async () => {
    local.queueOutcome({ kind: 'output-gone' });
    const gone = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
    const kept = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
    const goneOutput = (await local.waitForSettled(gone.id)).output;
    expect(typeof goneOutput).toBe('string');

    await expect(
      provider.downloadOutput(String(goneOutput), { maxBytes: 5_000_000 }),
    ).rejects.toSatisfy(isUnder(RestorationPermanentError));
    await expect(
      provider.downloadOutput(String(goneOutput), { maxBytes: 5_000_000 }),
    ).rejects.toThrow(/output is gone \(HTTP 404/);

    // Any output expires on request, as Replicate's do after an hour.
    const keptOutput = String((await local.waitForSettled(kept.id)).output);
    await expect(
      provider.downloadOutput(keptOutput, { maxBytes: 5_000_000 }),
    ).resolves.toBeInstanceOf(Buffer);
    local.expireOutput(kept.id);
    await expect(provider.downloadOutput(keptOutput, { maxBytes: 5_000_000 })).rejects.toThrow(
      RestorationPermanentError,
    );
  });

  it('serves the input bytes unchanged under identical-output', async () => {
    local.queueOutcome({ kind: 'identical-output' });
    const created = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
    const settled = await local.waitForSettled(created.id);

    const output = await provider.downloadOutput(String(settled.output), { maxBytes: 5_000_000 });
    expect(output.equals(photo)).toBe(true);
  });

  it('serves text as the output under not-an-image', async () => {
    local.queueOutcome({ kind: 'not-an-image' });
    const created = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
    const settled = await local.waitForSettled(created.id);
    expect(settled.status).toBe('succeeded');

    const output = await provider.downloadOutput(String(settled.output), { maxBytes: 5_000_000 });
    expect(output.toString('utf8')).toMatch(/not an image/);
    await expect(sharp(output).metadata()).rejects.toThrow();
  });

  it('stops reading an output larger than maxBytes and refuses it permanently', async () => {
    const created = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
    const settled = await local.waitForSettled(created.id);

    await expect(
      provider.downloadOutput(String(settled.output), { maxBytes: 100 }),
    ).rejects.toThrow(/larger than the 100-byte limit/);
  });

  it('refuses requests without a valid token with Replicate’s 401 problem JSON', async () => {
    const anonymous = await fetch(`${local.baseUrl}/predictions/abc`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      title: 'Unauthenticated',
      detail: 'You did not pass an authentication token',
      status: 401,
    });

    const wrongToken = new ReplicateRestorationProvider({
      client: local.client({ auth: 'r8_wrong' }),
    });
    await expect(
      wrongToken.createPrediction({ model: 'acme/restore', imageUrl: photoUrl }),
    ).rejects.toThrow(/valid authentication token/);
    await expect(wrongToken.getPrediction('abc')).rejects.toSatisfy(
      isUnder(RestorationPermanentError),
    );
  });

  it('answers 404 for an unknown prediction, which is permanent', async () => {
    await expect(provider.getPrediction('doesnotexist')).rejects.toSatisfy(
      isUnder(RestorationPermanentError),
    );
    await expect(provider.cancelPrediction('doesnotexist')).rejects.toSatisfy(
      isUnder(RestorationPermanentError),
    );
  });

  it('treats an unreachable Replicate as retryable', async () => {
    const closed = createServer();
    const closedUrl = await listenOnFreePort(closed);
    await close(closed);
    const unreachable = new ReplicateRestorationProvider({
      client: new Replicate({ auth: local.apiToken, baseUrl: `${closedUrl}/v1` }),
    });

    await expect(
      unreachable.createPrediction({ model: 'acme/restore', imageUrl: photoUrl }),
    ).rejects.toSatisfy(isUnder(RestorationRetryableError));
    await expect(
      unreachable.downloadOutput(`${closedUrl}/files/x/output.png`, { maxBytes: 100 }),
    ).rejects.toSatisfy(isUnder(RestorationRetryableError));
  });

  it('treats a Replicate that does not answer in time as retryable', async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    const silentUrl = await listenOnFreePort(silent);
    try {
      const slow = new ReplicateRestorationProvider({
        client: new Replicate({ auth: local.apiToken, baseUrl: `${silentUrl}/v1` }),
        requestTimeoutMs: 200,
        downloadTimeoutMs: 200,
      });
      await expect(slow.getPrediction('abc')).rejects.toThrow(
        /no answer from Replicate within 200 ms/,
      );
      await expect(
        slow.downloadOutput(`${silentUrl}/files/abc/output.png`, { maxBytes: 100 }),
      ).rejects.toSatisfy(isUnder(RestorationRetryableError));
    } finally {
      await close(silent);
    }
  });

  it('finds a recent prediction by the fingerprint of its photo URL, across pages, newest first', async () => {
    const paged = await startLocalReplicate({ listPageSize: 2 });
    try {
      const finder = new ReplicateRestorationProvider({ client: paged.client() });
      const requestedAt = new Date();
      const ours = await finder.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });
      for (let index = 0; index < 4; index += 1) {
        await finder.createPrediction({
          model: 'acme/restore',
          imageUrl: `${photoUrl}&n=${index}`,
        });
      }
      const found = await finder.findPrediction({
        createdAfter: requestedAt,
        imageInputKey: 'image',
        imageUrlSha256: imageUrlFingerprint(photoUrl),
      });
      expect(found?.id).toBe(ours.id);
      // Another URL, or another input field, is another request.
      const lookFor = (url: string, imageInputKey = 'image') =>
        finder.findPrediction({
          createdAfter: requestedAt,
          imageInputKey,
          imageUrlSha256: imageUrlFingerprint(url),
        });
      expect(await lookFor(`${photoUrl}&other`)).toBeUndefined();
      expect(await lookFor(photoUrl, 'input_image')).toBeUndefined();
      // Predictions made before the request are not read at all.
      const later = await finder.findPrediction({
        createdAfter: new Date(Date.now() + 60_000),
        imageInputKey: 'image',
        imageUrlSha256: imageUrlFingerprint(photoUrl),
      });
      expect(later).toBeUndefined();
      // A search that reads too many pages gives up rather than reading the account's whole history.
      const impatient = new ReplicateRestorationProvider({
        client: paged.client(),
        findMaxPages: 1,
      });
      expect(
        await impatient.findPrediction({
          createdAfter: requestedAt,
          imageInputKey: 'image',
          imageUrlSha256: imageUrlFingerprint(photoUrl),
        }),
      ).toBeUndefined();
    } finally {
      await paged.stop();
    }
  });

  it('refuses a list cursor that is not one of its pages', async () => {
    const response = await fetch(`${local.baseUrl}/predictions?cursor=nope`, {
      headers: { authorization: `Bearer ${local.apiToken}` },
    });
    expect(response.status).toBe(422);
  });

  it('hands out its webhook secret at the default webhook secret endpoint', async () => {
    const secret = await local.client().webhooks.default.secret.get();
    expect(secret.key).toBe(local.webhookSecret);
    expect(secret.key).toMatch(/^whsec_/);
  });

  it('holds a create with Prefer: wait until the prediction has finished', async () => {
    const prediction = await local.client().predictions.create({
      model: 'acme/restore',
      input: { image: photoUrl },
      wait: 10,
    });
    expect(prediction.status).toBe('succeeded');
    expect(prediction.output).toBe(`${local.url}/files/${prediction.id}/output.png`);
  });

  it('takes outcomes over its HTTP control API, for tests in another process', async () => {
    const remote = connectLocalReplicateControls(local.url);
    await remote.queueOutcome({ kind: 'fail', error: 'model crashed' });
    const created = await provider.createPrediction({ model: 'acme/restore', imageUrl: photoUrl });

    const settled = await remote.waitForSettled(created.id, { timeoutMs: 5_000 });
    expect(settled).toMatchObject({ id: created.id, status: 'failed', error: 'model crashed' });
    expect((await remote.predictions()).map((prediction) => prediction.id)).toEqual([created.id]);
    await remote.reset();
    expect(local.predictions()).toEqual([]);
  });
});
