/** The temp-uploads cleanup: expired baskets go, with their files; baskets still waiting for payment stay. */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupExpiredUploads, S3ObjectStore, tempUploadKeyFor } from '@restoreclick/core';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';

describe('cleanup.temp-uploads', () => {
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
});
