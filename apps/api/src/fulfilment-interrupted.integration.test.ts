/**
 * A fulfilment whose process died after its commit and before it deleted the photos' temporary copies (the
 * chaos suite's worker kills found this): the next fulfilment of the same order — the retried job, the
 * success page, reconciliation — deletes them, so no temporary upload outlives its order's payment.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempUploadKeyFor } from '@restoreclick/core';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure } from '../test/wire';

describe('fulfilment interrupted after its commit', () => {
  let stack: FullStack;

  beforeAll(async () => {
    stack = await startFullStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('deletes the temporary copies the next time the order is fulfilled', async () => {
    const { orderId } = await stack.checkoutAndPay({ photos: 2 });
    await stack.waitForOrderStatus(orderId, 'completed', 60_000);
    const { db } = stack.testDb;
    const order = await db
      .selectFrom('orders')
      .select('stripe_checkout_session_id')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const images = await db
      .selectFrom('order_images')
      .select(['id', 'mime_type'])
      .where('order_id', '=', orderId)
      .execute();
    expect(await stack.store.list('uploads/temp/')).toEqual([]);

    // What a process killed between the commit and the deletions leaves: the copies, and their keys.
    for (const image of images) {
      const key = tempUploadKeyFor(randomUUID(), image.id, image.mime_type);
      await stack.store.put(key, Buffer.from('the customer photo, still in temporary storage'));
      await db
        .updateTable('order_images')
        .set({ temp_key: key })
        .where('id', '=', image.id)
        .execute();
    }
    expect(await stack.store.list('uploads/temp/')).toHaveLength(2);

    const confirmed = await callProcedure<{ status: string }>(
      stack.apiUrl,
      'orders.confirmCheckout',
      { sessionId: order.stripe_checkout_session_id },
      'mutation',
    );
    expect(confirmed).toMatchObject({ ok: true, data: { status: 'completed' } });
    expect(await stack.store.list('uploads/temp/')).toEqual([]);
    const keys = await db
      .selectFrom('order_images')
      .select('temp_key')
      .where('order_id', '=', orderId)
      .execute();
    expect(keys).toEqual([{ temp_key: null }, { temp_key: null }]);
  });
});
