/**
 * The default setup with no keys: a paid order is restored on the machine by the local restorer and the
 * restoration-complete email lands in the outbox, once, with the restored photos attached.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';

describe('restoration with the local restorer', () => {
  let stack: FullStack;

  beforeAll(async () => {
    stack = await startFullStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('restores every photo of a paid order and puts the completion email in the outbox', async () => {
    const orderId = await stack.payForOrder({ photos: 2 });
    await stack.waitForOrderStatus(orderId, 'completed', 60_000);
    const db = stack.testDb.db;

    const images = await db
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('position')
      .execute();
    expect(images.map((image) => image.status)).toEqual(['restored', 'restored']);
    for (const image of images) {
      expect(image.restored_key).toBe(
        `uploads/restored/${orderId}/${image.id}.${image.restored_mime_type === 'image/png' ? 'png' : 'jpg'}`,
      );
      // A real restoration: twice the size, and a decodable image in storage.
      const stored = await stack.store.getBuffer(image.restored_key ?? '');
      const metadata = await sharp(stored).metadata();
      expect([metadata.width, metadata.height]).toEqual([
        (image.width ?? 0) * 2,
        (image.height ?? 0) * 2,
      ]);
      expect(image.restored_checksum_sha256).not.toBe(image.checksum_sha256);
    }

    const attempts = await db
      .selectFrom('restoration_jobs')
      .select(['provider', 'status', 'attempt', 'predict_seconds', 'details'])
      .where('order_id', '=', orderId)
      .execute();
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ provider: 'local', status: 'succeeded', attempt: 1 });
      expect(attempt.predict_seconds).toBeGreaterThan(0);
      expect((attempt.details as { steps?: string[] }).steps?.length).toBeGreaterThan(0);
    }

    await waitFor(
      async () => {
        const emails = await db
          .selectFrom('email_messages')
          .select(['kind', 'status'])
          .where('order_id', '=', orderId)
          .execute();
        return emails.length === 2 && emails.every((email) => email.status === 'sent');
      },
      { timeout: 20_000, message: 'both emails to reach the outbox' },
    );
    const completion = await db
      .selectFrom('email_messages')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('kind', '=', 'restoration_complete')
      .executeTakeFirstOrThrow();
    expect(completion).toMatchObject({
      provider: 'outbox',
      to_address: 'ada@example.com',
      attempts: 1,
    });
    expect(completion.subject).toMatch(/restored/i);
    const { order_number: orderNumber } = await db
      .selectFrom('orders')
      .select('order_number')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(completion.html).toContain(orderNumber);
    expect(completion.text).toMatch(/http:\/\/shop\.test\/orders\/[\w-]{43}/);
    const planned = (completion.data as { attachments: Array<{ filename: string }> }).attachments;
    expect(planned.map((attachment) => attachment.filename).sort()).toEqual([
      expect.stringMatching(/^grandma-1-restored\.(png|jpg)$/),
      expect.stringMatching(/^grandma-2-restored\.(png|jpg)$/),
    ]);

    const timeline = await db
      .selectFrom('order_events')
      .select(['type', 'to_status'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    const types = timeline.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'payment.succeeded',
        'restoration.started',
        'image.restored',
        'order.completed',
        'email.sent',
      ]),
    );
    expect(types.filter((type) => type === 'image.restored')).toHaveLength(2);
    expect(types.filter((type) => type === 'order.completed')).toHaveLength(1);
    expect(timeline.find((event) => event.type === 'order.completed')?.to_status).toBe('completed');
  });
});
