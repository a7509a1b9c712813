/**
 * Retention against the real S3 API (the embedded server): once an order's retention period has passed — the
 * test moves the purge's clock — the daily purge deletes exactly that order's files (listing the bucket shows
 * what went and what stayed), marks its photos, keeps the order and its money, and changes nothing more when
 * it runs again. The order page and the completion email give the date; links to purged photos answer 410.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CustomerOrder,
  markFilesDeleted,
  purgeExpiredPhotos,
  type RetentionPolicy,
} from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { signedInClient } from '../test/admin';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure } from '../test/wire';

const DAY_MS = 24 * 60 * 60 * 1000;
const THIRTY_DAYS: RetentionPolicy = { originalsDays: 30, restoredDays: 30 };

describe('photo retention', () => {
  let stack: FullStack;
  /** Completed now, with two photos. */
  let early: { orderId: string; accessToken: string };
  /** Completed "ten days later" (the test moves its completion), with one photo. */
  let later: { orderId: string; accessToken: string };

  beforeAll(async () => {
    stack = await startFullStack();
    early = await stack.checkoutAndPay({ photos: 2 });
    later = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(early.orderId, 'completed', 60_000);
    await stack.waitForOrderStatus(later.orderId, 'completed', 60_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const db = () => stack.testDb.db;
  const purge = (now: Date, retention: RetentionPolicy = THIRTY_DAYS) =>
    purgeExpiredPhotos(db(), { storage: stack.store, retention }, { now });

  async function bucket(): Promise<string[]> {
    return (await stack.store.list('uploads/')).map((object) => object.key).sort();
  }

  async function orderRow(orderId: string) {
    return db()
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
  }

  async function eventsOf(orderId: string, type: string) {
    return db()
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('type', '=', type)
      .execute();
  }

  async function view(token: string): Promise<CustomerOrder> {
    const result = await callProcedure<CustomerOrder>(
      stack.apiUrl,
      'orders.get',
      { token },
      'query',
    );
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  }

  async function downloadLink(token: string, kind: 'all' | 'originals' | 'restored') {
    const result = await callProcedure<{ url: string }>(
      stack.apiUrl,
      'downloads.create',
      { token, kind },
      'mutation',
    );
    if (!result.ok) throw new Error(result.error.message);
    // The link names the api's public URL; the test's api listens elsewhere.
    return result.data.url.replace(/^https?:\/\/[^/]+/, stack.apiUrl);
  }

  it('tells the customer when the photos go, on the order page and in the completion email', async () => {
    const order = await orderRow(early.orderId);
    const completedAt = order.completed_at?.getTime() ?? Number.NaN;
    const page = await view(early.accessToken);
    expect(page.privacy).toMatchObject({
      originalsRetentionDays: 30,
      restoredRetentionDays: 30,
      originalsDeleteAt: new Date(completedAt + 30 * DAY_MS).toISOString(),
      restoredDeleteAt: new Date(completedAt + 30 * DAY_MS).toISOString(),
      deletedAt: null,
      canDelete: true,
    });

    const email = await waitFor(
      () =>
        db()
          .selectFrom('email_messages')
          .selectAll()
          .where('order_id', '=', early.orderId)
          .where('kind', '=', 'restoration_complete')
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      { timeout: 30_000, message: 'the completion email to be sent' },
    );
    const deleteAfter = new Date(completedAt + 30 * DAY_MS);
    const spelled = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(deleteAfter);
    expect(email.text).toContain('we will delete your photos from our servers on');
    expect(email.text).toContain(spelled);
    expect(email.html).toContain(spelled);
    expect((email.data as { templateData: { deleteAfter: string } }).templateData.deleteAfter).toBe(
      deleteAfter.toISOString(),
    );
  });

  it('deletes exactly the files whose period is over, keeps the orders, and changes nothing when run again', async () => {
    const completedAt = (await orderRow(early.orderId)).completed_at ?? new Date();
    await db()
      .updateTable('orders')
      .set({ completed_at: new Date(completedAt.getTime() + 10 * DAY_MS) })
      .where('id', '=', later.orderId)
      .execute();
    const link = await downloadLink(early.accessToken, 'all');
    const before = await bucket();
    const earlyFiles = before.filter((key) => key.includes(early.orderId));
    const laterFiles = before.filter((key) => key.includes(later.orderId));
    // Two photos: original, restored and a preview of each.
    expect(earlyFiles).toHaveLength(8);
    expect(laterFiles).toHaveLength(4);
    const orderBefore = await orderRow(early.orderId);

    // A day before the end of the period nothing goes.
    expect(await purge(new Date(completedAt.getTime() + 29 * DAY_MS))).toEqual({
      orders: 0,
      originals: 0,
      restored: 0,
      objectsDeleted: 0,
    });
    expect(await bucket()).toEqual(before);

    const thirtyOneDays = new Date(completedAt.getTime() + 31 * DAY_MS);
    const first = await purge(thirtyOneDays);
    expect(first).toEqual({ orders: 1, originals: 2, restored: 2, objectsDeleted: 8 });
    expect(await bucket()).toEqual(before.filter((key) => !earlyFiles.includes(key)));

    const images = await db()
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', early.orderId)
      .execute();
    for (const image of images) {
      expect(image).toMatchObject({
        status: 'purged',
        original_key: null,
        restored_key: null,
        thumbnail_key: null,
        restored_thumbnail_key: null,
      });
      expect(image.purged_at).not.toBeNull();
    }
    const orderAfter = await orderRow(early.orderId);
    expect(orderAfter).toMatchObject({
      status: orderBefore.status,
      total_amount: orderBefore.total_amount,
      amount_paid: orderBefore.amount_paid,
      customer_email: orderBefore.customer_email,
    });
    const [purged, ...more] = await eventsOf(early.orderId, 'photos.purged');
    expect(more).toEqual([]);
    expect(purged).toMatchObject({
      actor: 'system',
      data: { files: 'all', originals: 2, restored: 2 },
    });

    // Again: nothing left to do, nothing more happens.
    expect(await purge(thirtyOneDays)).toEqual({
      orders: 0,
      originals: 0,
      restored: 0,
      objectsDeleted: 0,
    });
    expect(await bucket()).toEqual(before.filter((key) => !earlyFiles.includes(key)));
    expect(await eventsOf(early.orderId, 'photos.purged')).toHaveLength(1);
    expect(await eventsOf(later.orderId, 'photos.purged')).toHaveLength(0);

    // The link made before answers with a page that says what happened.
    const response = await fetch(link);
    expect(response.status).toBe(410);
    const body = await response.text();
    expect(body).toContain('These photos have been deleted');
    expect(body).toContain('keeps photos only for a limited time');

    const page = await view(early.accessToken);
    expect(page.status).toBe('completed');
    expect(page.stats).toMatchObject({ done: 0, deleted: 2 });
    expect(page.progressPercent).toBe(100);
    expect(page.privacy).toMatchObject({ deletedBy: 'retention', canDelete: false });
    expect(page.privacy.deletedAt).not.toBeNull();
    expect(page.canDownload).toBe(false);
    for (const image of page.images) {
      expect(image).toMatchObject({
        status: 'purged',
        originalUrl: null,
        restoredUrl: null,
        originalThumbnailUrl: null,
        restoredThumbnailUrl: null,
      });
    }
    expect(page.timeline.map((entry) => entry.title)).toContain(
      'Your photos were deleted after the retention period',
    );
    const admin = await signedInClient(stack.apiUrl, db(), 'viewer');
    const detail = await admin.get<{ timeline: Array<{ actor: string; summary: string }> }>(
      'orders.get',
      { id: early.orderId },
    );
    expect(detail.timeline.map((entry) => [entry.actor, entry.summary])).toContainEqual([
      'system',
      'Photos deleted: the retention period is over',
    ]);
  });

  it('keeps the restored photos longer than the originals when told to', async () => {
    const kept = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(kept.orderId, 'completed', 60_000);
    const completedAt = (await orderRow(kept.orderId)).completed_at ?? new Date();
    const policy = { originalsDays: 10, restoredDays: 30 };
    const before = await bucket();
    const files = before.filter((key) => key.includes(kept.orderId));
    const originals = files.filter(
      (key) => key.startsWith('uploads/originals/') || key.endsWith('-original.jpg'),
    );
    expect(originals).toHaveLength(2);

    const eleven = await purge(new Date(completedAt.getTime() + 11 * DAY_MS), policy);
    expect(eleven).toMatchObject({ orders: 1, originals: 1, restored: 0 });
    const afterEleven = await bucket();
    expect(afterEleven.filter((key) => key.includes(kept.orderId))).toEqual(
      files.filter((key) => !originals.includes(key)),
    );
    // Other orders' files are untouched.
    expect(afterEleven.filter((key) => !key.includes(kept.orderId))).toEqual(
      before.filter((key) => !key.includes(kept.orderId)),
    );
    const [image] = (await view(kept.accessToken)).images;
    expect(image).toMatchObject({ status: 'restored', originalUrl: null });
    expect(image?.originalDeletedAt).not.toBeNull();
    expect(image?.restoredUrl).toMatch(/X-Amz-Signature=/);
    expect((await eventsOf(kept.orderId, 'photos.purged'))[0]?.data).toMatchObject({
      files: 'originals',
    });
    const originalsOnly = await callProcedure(
      stack.apiUrl,
      'downloads.create',
      { token: kept.accessToken, kind: 'originals' },
      'mutation',
    );
    expect(originalsOnly).toMatchObject({ ok: false, error: { data: { appCode: 'GONE' } } });

    await purge(new Date(completedAt.getTime() + 31 * DAY_MS), policy);
    expect((await bucket()).filter((key) => key.includes(kept.orderId))).toEqual([]);
    expect((await view(kept.accessToken)).images[0]?.status).toBe('purged');
  });

  it('finishes a deletion that stopped half-way (files stamped, objects still there)', async () => {
    const interrupted = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(interrupted.orderId, 'completed', 60_000);
    const image = await db()
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', interrupted.orderId)
      .executeTakeFirstOrThrow();
    // The first step of a deletion committed, then the process died before the bucket was touched.
    await db()
      .transaction()
      .execute((trx) => markFilesDeleted(trx, image, ['original', 'restored'], new Date()));
    expect((await bucket()).filter((key) => key.includes(interrupted.orderId))).toHaveLength(4);

    // Today's purge finds nothing due, and still finishes it.
    const result = await purge(new Date());
    expect(result).toMatchObject({ orders: 0, objectsDeleted: 4 });
    expect((await bucket()).filter((key) => key.includes(interrupted.orderId))).toEqual([]);
    const after = await db()
      .selectFrom('order_images')
      .select(['status', 'original_key', 'restored_key'])
      .where('id', '=', image.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'purged', original_key: null, restored_key: null });
  });

  it('runs every day in the worker, with the real clock', async () => {
    const { rows: schedules } = await sql<{ cron: string }>`
      select cron from pgboss.schedule where name = 'privacy.purge-expired'
    `.execute(db());
    expect(schedules).toEqual([{ cron: '41 3 * * *' }]);

    const jobId = await stack.api.jobs.enqueue(db(), 'privacy.purge-expired', {});
    const job = await waitFor(
      async () => {
        const { rows } = await sql<{ state: string; output: unknown }>`
          select state, output from pgboss.job where id = ${jobId}
        `.execute(db());
        return rows[0]?.state === 'completed' ? rows[0] : undefined;
      },
      { timeout: 30_000, message: 'the purge job to complete' },
    );
    // Nothing here is 30 days old yet.
    expect(job.output).toEqual({ orders: 0, originals: 0, restored: 0, objectsDeleted: 0 });
  });
});
