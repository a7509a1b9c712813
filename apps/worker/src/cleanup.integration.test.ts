/**
 * The `cleanup.expired` cron: expired baskets go, with their files, while baskets still waiting for payment
 * stay; download links and webhook events older than the retention period go, newer ones stay.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupExpiredRecords,
  cleanupExpiredUploads,
  S3ObjectStore,
  tempUploadKeyFor,
} from '@restoreclick/core';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';

describe('cleanup.expired', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;
  let store: S3ObjectStore;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
    store = new S3ObjectStore(bucket.client, bucket.bucket);
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  async function basket(expiresAt: Date, orderStatus?: 'pending_payment' | 'expired') {
    const session = await testDb.db
      .insertInto('upload_sessions')
      .values({ expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const key = tempUploadKeyFor(session.id, randomUUID(), 'image/jpeg');
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: 'x' }));
    await testDb.db
      .insertInto('uploads')
      .values({
        upload_session_id: session.id,
        temp_key: key,
        original_filename: 'a.jpg',
        mime_type: 'image/jpeg',
        bytes: 1,
        width: 1,
        height: 1,
        sha256: 'x',
      })
      .execute();
    if (orderStatus) {
      const customer = await testDb.db
        .insertInto('customers')
        .values({
          email: `${session.id}@example.com`,
          email_normalized: `${session.id}@example.com`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await testDb.db
        .insertInto('orders')
        .values({
          customer_id: customer.id,
          upload_session_id: session.id,
          status: orderStatus,
          currency: 'usd',
          unit_amount: 1,
          subtotal_amount: 1,
          total_amount: 1,
          access_token_hash: randomUUID(),
        })
        .execute();
    }
    return session.id;
  }

  it('deletes expired baskets and their files, keeps fresh ones and those waiting for payment; a second run does nothing', async () => {
    const past = new Date(Date.now() - 3_600_000);
    const expired = await basket(past);
    const abandoned = await basket(past, 'expired');
    const awaitingPayment = await basket(past, 'pending_payment');
    const fresh = await basket(new Date(Date.now() + 3_600_000));

    expect(await cleanupExpiredUploads(testDb.db, store)).toEqual({
      sessionsDeleted: 2,
      objectsDeleted: 2,
    });

    const remaining = await testDb.db.selectFrom('upload_sessions').select('id').execute();
    expect(remaining.map((row) => row.id).sort()).toEqual([awaitingPayment, fresh].sort());
    for (const gone of [expired, abandoned])
      expect(await store.list(`uploads/temp/${gone}/`)).toEqual([]);
    for (const kept of [awaitingPayment, fresh])
      expect(await store.list(`uploads/temp/${kept}/`)).toHaveLength(1);
    expect(await cleanupExpiredUploads(testDb.db, store)).toEqual({
      sessionsDeleted: 0,
      objectsDeleted: 0,
    });
  });

  it('deletes download links and processed webhook events past the retention period, and nothing newer', async () => {
    const db = testDb.db;
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000);
    const customer = await db
      .insertInto('customers')
      .values({ email: 'links@example.com', email_normalized: 'links@example.com' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const order = await db
      .insertInto('orders')
      .values({
        customer_id: customer.id,
        status: 'completed',
        currency: 'usd',
        unit_amount: 1,
        subtotal_amount: 1,
        total_amount: 1,
        access_token_hash: randomUUID(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [hash, expires] of [
      ['old-link', daysAgo(10)],
      ['recently-expired-link', daysAgo(1)],
      ['live-link', daysAgo(-3)],
    ] as const) {
      await db
        .insertInto('download_links')
        .values({ order_id: order.id, token_hash: hash, kind: 'all', expires_at: expires })
        .execute();
    }
    for (const [id, status, processedAt] of [
      ['evt_old_processed', 'processed', daysAgo(10)],
      ['evt_old_ignored', 'ignored', daysAgo(9)],
      ['evt_new_processed', 'processed', daysAgo(1)],
      ['evt_old_failed', 'failed', null],
    ] as const) {
      await db
        .insertInto('stripe_events')
        .values({
          id,
          type: 'checkout.session.completed',
          payload: '{}',
          status,
          processed_at: processedAt,
          received_at: daysAgo(10),
        })
        .execute();
    }
    for (const [id, receivedAt] of [
      ['msg_old', daysAgo(8)],
      ['msg_new', daysAgo(2)],
    ] as const) {
      await db
        .insertInto('provider_webhook_events')
        .values({
          provider: 'replicate',
          id,
          type: 'prediction.succeeded',
          subject_id: id,
          payload: '{}',
          received_at: receivedAt,
        })
        .execute();
    }

    // Admin sessions: one ran out a minute ago, one is live.
    const admin = await db
      .insertInto('admin_users')
      .values({ email: 'ops@example.com', password_hash: 'not-a-real-hash' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const minutes = (count: number) => new Date(Date.now() + count * 60_000);
    await db
      .insertInto('admin_sessions')
      .values([
        { admin_user_id: admin.id, token_hash: 'expired-session', expires_at: minutes(-1) },
        { admin_user_id: admin.id, token_hash: 'live-session', expires_at: minutes(60) },
      ])
      .execute();

    expect(await cleanupExpiredRecords(db, { retentionDays: 7 })).toEqual({
      downloadLinksDeleted: 1,
      stripeEventsDeleted: 2,
      providerWebhooksDeleted: 1,
      adminSessionsDeleted: 1,
    });
    const sessions = await db.selectFrom('admin_sessions').select('token_hash').execute();
    expect(sessions.map((session) => session.token_hash)).toEqual(['live-session']);
    const links = await db.selectFrom('download_links').select('token_hash').execute();
    expect(links.map((link) => link.token_hash).sort()).toEqual([
      'live-link',
      'recently-expired-link',
    ]);
    const events = await db.selectFrom('stripe_events').select('id').execute();
    // A failed event is kept whatever its age: an admin still has to look at it.
    expect(events.map((event) => event.id).sort()).toEqual(['evt_new_processed', 'evt_old_failed']);
    expect(await cleanupExpiredRecords(db, { retentionDays: 7 })).toEqual({
      downloadLinksDeleted: 0,
      stripeEventsDeleted: 0,
      providerWebhooksDeleted: 0,
      adminSessionsDeleted: 0,
    });
  });
});
