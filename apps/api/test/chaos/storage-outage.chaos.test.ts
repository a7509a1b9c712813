/**
 * S3 goes away for a while in the middle of restoration. Jobs that need it fail and are retried with their
 * queue's backoff; once it is back every photo is restored, every order completes with its emails, and nobody
 * is refunded. Meanwhile the api says so on /readyz, refuses uploads cleanly and keeps running.
 */
import { sql } from 'kysely';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@restoreclick/devkit/testing';
import { samplePhoto } from '../full-stack';
import {
  type ChaosSystem,
  countBy,
  type PlacedOrder,
  startChaosSystem,
  uploadToNewSession,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';
import { chaosScale } from './scale';

const { orders: ORDERS, outageSeconds } = chaosScale.storageOutage;
const PHOTOS = 2;
const MODEL = 'flux-kontext-apps/restore-image';

describe(`S3 unavailable for ${outageSeconds} s during restoration`, () => {
  let system: ChaosSystem;
  let orders: PlacedOrder[];

  beforeAll(async () => {
    system = await startChaosSystem();
    // Predictions take a while, so the outage begins while they are running.
    system.replicate.setModelOutcome(MODEL, { kind: 'slow', processingMs: 2_000 });
    const placing = pLimit(4);
    orders = await Promise.all(
      Array.from({ length: ORDERS }, () => placing(() => system.placeOrder({ photos: PHOTOS }))),
    );
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function uploadOnePhoto(): Promise<{ status: number; body: string; sessionId: string }> {
    const { uploadSessionId, response } = await uploadToNewSession(system.apiUrl, [
      { name: 'during-the-outage.jpg', photo: await samplePhoto(3) },
    ]);
    return { status: response.status, body: await response.text(), sessionId: uploadSessionId };
  }

  it('retries what needs S3 and restores every photo once it is back', async () => {
    // Three moments of an order's life meet the outage: restoring at Replicate, just paid (being
    // fulfilled), and paid while S3 is away.
    const third = Math.ceil(ORDERS / 3);
    const restoring = orders.slice(0, third);
    const justPaid = orders.slice(third, 2 * third);
    const paidDuringOutage = orders.slice(2 * third);
    for (const order of restoring) system.pay(order);
    await waitFor(() => system.replicate.predictions().length >= restoring.length * PHOTOS, {
      timeout: 60_000,
      message: 'the first orders to be at Replicate',
    });
    for (const order of justPaid) system.pay(order);

    const outageStarted = Date.now();
    await system.stopStorage();
    for (const order of paidDuringOutage) system.pay(order);
    const readiness = await waitFor(
      async () => {
        const response = await fetch(`${system.apiUrl}/readyz`);
        return response.status === 503
          ? ((await response.json()) as { checks: { s3: { ok: boolean }; db: { ok: boolean } } })
          : undefined;
      },
      { timeout: 20_000, message: '/readyz to answer 503' },
    );
    expect(readiness.checks).toMatchObject({ s3: { ok: false }, db: { ok: true } });

    // A customer uploading now gets a plain error, nothing is half stored, and the api keeps running.
    const refused = await uploadOnePhoto();
    expect(refused.status).toBe(500);
    expect(refused.body).toMatch(/Something went wrong on our side\. Quote request id /);
    const halfStored = await system.db
      .selectFrom('uploads')
      .select('id')
      .where('upload_session_id', '=', refused.sessionId)
      .execute();
    expect(halfStored).toEqual([]);

    // The outage lasts its full length: that is the scenario, not a wait for anything.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, outageSeconds * 1000 - (Date.now() - outageStarted))),
    );
    await system.startStorage();
    const outageMs = Date.now() - outageStarted;
    await waitFor(async () => (await fetch(`${system.apiUrl}/readyz`)).status === 200, {
      timeout: 20_000,
      message: '/readyz to answer 200 again',
    });

    const orderIds = orders.map((order) => order.orderId);
    await waitForOrders(system, orderIds, ['completed'], 600_000);
    const completedAfterMs = Date.now() - outageStarted - outageMs;
    await waitForEmailsSent(system, orderIds, 180_000);

    const { db } = system;
    const images = await db
      .selectFrom('order_images')
      .select(['status', 'restored_key'])
      .where('order_id', 'in', orderIds)
      .execute();
    expect(countBy(images.map((image) => image.status))).toEqual({ restored: ORDERS * PHOTOS });
    for (const image of images) {
      expect(await system.store.head(image.restored_key ?? 'missing')).toBeDefined();
    }
    const refunds = await db.selectFrom('automatic_refunds').select('id').execute();
    expect(refunds).toEqual([]);
    const emails = await db
      .selectFrom('email_messages')
      .select(['id', 'kind'])
      .where('order_id', 'in', orderIds)
      .execute();
    expect(countBy(emails.map((email) => email.kind))).toEqual({
      order_confirmation: ORDERS,
      restoration_complete: ORDERS,
    });
    const accepted = system.sendgrid
      .messages()
      .filter((message) => message.status === 202)
      .map((message) => message.mail?.customArgs?.email_message_id ?? 'none');
    expect(countBy(accepted)).toEqual(Object.fromEntries(emails.map((email) => [email.id, 1])));

    // Uploads work again.
    const after = await uploadOnePhoto();
    expect(after.status).toBe(201);

    const { rows: jobs } = await sql<{ name: string; retries: string; failed: string }>`
      select name, sum(retry_count)::text as retries,
        count(*) filter (where state = 'failed')::text as failed
      from pgboss.job group by name order by name
    `.execute(db);
    expect(jobs.filter((job) => job.name.endsWith('.dead'))).toEqual([]);
    const attempts = await db
      .selectFrom('restoration_jobs')
      .select(['status', 'provider'])
      .where('order_id', 'in', orderIds)
      .execute();
    // Restored by the model the customer paid for: our outage did not push any photo down the fallback
    // chain. (An attempt whose prediction was fetching the original as S3 went away may fail; its retry
    // waits for S3 instead of asking the model again.)
    const succeeded = attempts.filter((attempt) => attempt.status === 'succeeded');
    expect(countBy(succeeded.map((attempt) => attempt.provider))).toEqual({
      replicate: ORDERS * PHOTOS,
    });
    await recordFigures('storage-outage', {
      orders: ORDERS,
      photos: ORDERS * PHOTOS,
      outageMs,
      completedAfterOutageMs: completedAfterMs,
      restorationAttempts: countBy(
        attempts.map((attempt) => `${attempt.provider}:${attempt.status}`),
      ),
      jobRetries: Object.fromEntries(jobs.map((job) => [job.name, Number(job.retries)])),
      uploadDuringOutage: refused.status,
    });
    expect(system.api().exited()).toBe(false);
    expect(system.worker()?.exited()).toBe(false);
    expect(system.leakedSecrets()).toEqual([]);
  });
});
