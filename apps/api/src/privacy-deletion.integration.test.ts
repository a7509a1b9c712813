/**
 * A customer deletes their order's photos through the storefront API: every file of the order leaves the bucket
 * at once (listing it proves it) while other orders' files stay, download and share links answer 410, the order
 * and its money stay with one `photos.deleted` event, and asking again changes nothing. Not while the order
 * still needs its photos (unpaid, being restored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerOrder } from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { signedInClient } from '../test/admin';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure } from '../test/wire';

interface Deleted {
  deleted: true;
  deletedAt: string;
  photos: number;
  alreadyDeleted: boolean;
}

describe('a customer deletes their photos', () => {
  let stack: FullStack;
  let order: { orderId: string; accessToken: string };
  let other: { orderId: string; accessToken: string };
  let firstDeletedAt: string | undefined;

  beforeAll(async () => {
    stack = await startFullStack();
    order = await stack.checkoutAndPay({ photos: 2 });
    other = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(order.orderId, 'completed', 60_000);
    await stack.waitForOrderStatus(other.orderId, 'completed', 60_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const db = () => stack.testDb.db;
  const call = <T>(path: string, input: unknown, method: 'query' | 'mutation' = 'mutation') =>
    callProcedure<T>(stack.apiUrl, path, input, method);
  const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, stack.apiUrl);

  async function bucket(): Promise<string[]> {
    return (await stack.store.list('uploads/')).map((object) => object.key).sort();
  }

  async function deletedEvents(orderId: string) {
    return db()
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('type', '=', 'photos.deleted')
      .execute();
  }

  it('deletes every file of the order at once, stops its links and keeps the order', async () => {
    const download = await call<{ url: string }>('downloads.create', {
      token: order.accessToken,
      kind: 'all',
    });
    if (!download.ok) throw new Error(download.error.message);
    expect(
      (await call('orders.share', { token: order.accessToken, to: 'aunt@example.com' })).ok,
    ).toBe(true);
    const share = await waitFor(
      () =>
        db()
          .selectFrom('email_messages')
          .select('data')
          .where('order_id', '=', order.orderId)
          .where('kind', '=', 'share')
          .executeTakeFirst(),
      { message: 'the share email to be written' },
    );
    const shareUrl = local(String((share.data as { viewUrl?: string }).viewUrl));
    expect((await fetch(shareUrl)).status).toBe(200);

    const before = await bucket();
    const files = before.filter((key) => key.includes(order.orderId));
    expect(files).toHaveLength(8);
    const orderBefore = await db()
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', order.orderId)
      .executeTakeFirstOrThrow();

    const result = await call<Deleted>('orders.deletePhotos', { token: order.accessToken });
    expect(result).toMatchObject({
      ok: true,
      data: { deleted: true, photos: 2, alreadyDeleted: false },
    });
    firstDeletedAt = result.ok ? result.data.deletedAt : undefined;

    // Every object of the order is gone; the other order's are all there.
    expect(await bucket()).toEqual(before.filter((key) => !files.includes(key)));
    expect((await bucket()).some((key) => key.includes(other.orderId))).toBe(true);

    for (const url of [local(download.data.url), shareUrl]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(410);
      expect(await response.text()).toContain('These photos have been deleted');
    }
    const links = await db()
      .selectFrom('download_links')
      .select('revoked_at')
      .where('order_id', '=', order.orderId)
      .execute();
    expect(links).toHaveLength(2);
    for (const link of links) expect(link.revoked_at).not.toBeNull();

    const [event, ...more] = await deletedEvents(order.orderId);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actor: 'customer', data: { photos: 2, linksRevoked: 2 } });
    expect(
      await db()
        .selectFrom('orders')
        .select(['status', 'total_amount', 'amount_paid', 'amount_refunded'])
        .where('id', '=', order.orderId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      status: orderBefore.status,
      total_amount: orderBefore.total_amount,
      amount_paid: orderBefore.amount_paid,
      amount_refunded: orderBefore.amount_refunded,
    });

    const page = await call<CustomerOrder>('orders.get', { token: order.accessToken }, 'query');
    if (!page.ok) throw new Error(page.error.message);
    expect(page.data.privacy).toMatchObject({ deletedBy: 'customer', canDelete: false });
    expect(page.data.privacy.deletedAt).toBe(firstDeletedAt);
    expect(
      page.data.images.map((image) => [image.status, image.originalUrl, image.restoredUrl]),
    ).toEqual([
      ['purged', null, null],
      ['purged', null, null],
    ]);
    expect(page.data.timeline.map((entry) => entry.title)).toContain('You deleted your photos');
    const admin = await signedInClient(stack.apiUrl, db(), 'viewer');
    const detail = await admin.get<{ timeline: Array<{ actor: string; summary: string }> }>(
      'orders.get',
      { id: order.orderId },
    );
    expect(detail.timeline.map((entry) => entry.summary)).toContain(
      'The customer deleted their photos (2)',
    );

    expect(
      await call('downloads.create', { token: order.accessToken, kind: 'restored' }),
    ).toMatchObject({ ok: false, error: { data: { appCode: 'GONE' } } });
    expect(
      await call('orders.resendEmail', { token: order.accessToken, kind: 'restoration_complete' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/deleted/) } });
  });

  it('answers a second request with the first deletion and changes nothing', async () => {
    const before = await bucket();
    const again = await call<Deleted>('orders.deletePhotos', { token: order.accessToken });
    expect(again).toMatchObject({
      ok: true,
      data: { deleted: true, photos: 0, alreadyDeleted: true, deletedAt: firstDeletedAt },
    });
    expect(await deletedEvents(order.orderId)).toHaveLength(1);
    expect(await bucket()).toEqual(before);
  });

  it('refuses while the order waits for payment or a photo is being restored', async () => {
    const unpaid = await stack.checkout({ photos: 1 });
    const before = await bucket();
    const refused = await call('orders.deletePhotos', { token: unpaid.accessToken });
    expect(refused).toMatchObject({
      ok: false,
      error: { data: { code: 'CONFLICT' }, message: expect.stringMatching(/waiting for payment/) },
    });

    await db()
      .updateTable('orders')
      .set({ status: 'processing' })
      .where('id', '=', other.orderId)
      .execute();
    const restoring = await call('orders.deletePhotos', { token: other.accessToken });
    expect(restoring).toMatchObject({
      ok: false,
      error: { data: { code: 'CONFLICT' }, message: expect.stringMatching(/being restored/) },
    });
    await db()
      .updateTable('orders')
      .set({ status: 'completed' })
      .where('id', '=', other.orderId)
      .execute();

    expect(await bucket()).toEqual(before);
    expect(await deletedEvents(unpaid.orderId)).toEqual([]);
    expect(await deletedEvents(other.orderId)).toEqual([]);
  });
});
