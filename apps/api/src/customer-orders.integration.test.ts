/**
 * The customer's side of an order, through the real HTTP API: reading it with its token, following it live
 * over server-sent events, ZIP downloads, sharing (limited, escaped), resending emails, notifications, and
 * that a token opens its own order and nothing else.
 */
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerOrder } from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { storefrontProcedures } from './trpc/storefront/index';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure, readEvents, readZipEntries } from '../test/wire';

describe('the customer side of an order', () => {
  let stack: FullStack;
  let completed: { orderId: string; accessToken: string };

  beforeAll(async () => {
    stack = await startFullStack();
    completed = await stack.checkoutAndPay({ photos: 2 });
    await stack.waitForOrderStatus(completed.orderId, 'completed', 60_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = (token: string) =>
    callProcedure<CustomerOrder>(stack.apiUrl, 'orders.get', { token }, 'query');

  it('shows a finished order with working photo links, progress and a timeline in plain words', async () => {
    const result = await get(completed.accessToken);
    if (!result.ok) throw new Error(result.error.message);
    const order = result.data;
    expect(order).toMatchObject({
      id: completed.orderId,
      status: 'completed',
      progressPercent: 100,
      stats: { pending: 0, processing: 0, done: 2, failed: 0 },
      canShare: true,
      canDownload: true,
    });
    for (const image of order.images) {
      for (const url of [image.originalUrl, image.restoredUrl, image.restoredThumbnailUrl]) {
        expect(url).toMatch(/X-Amz-Signature=/);
        const response = await fetch(url ?? '');
        expect(response.status).toBe(200);
      }
    }
    expect(order.timeline.map((entry) => entry.title)).toEqual(
      expect.arrayContaining(['Order placed', 'Payment received', 'All photos are done']),
    );
  });

  it('streams the order live from payment to completed, and resumes without resending what the client has', async () => {
    const fresh = await stack.checkoutAndPay({ photos: 2 });
    const url = (input: object) =>
      `${stack.apiUrl}/trpc/orders.watch?input=${encodeURIComponent(JSON.stringify(input))}`;
    const events = await readEvents(
      url({ token: fresh.accessToken }),
      (seen) => seen.some((event) => event.data.includes('"status":"completed"')),
      { timeoutMs: 60_000 },
    );
    const updates = events.filter((event) => event.id);
    const last = JSON.parse(updates.at(-1)?.data ?? '{}') as CustomerOrder;
    expect(last.status).toBe('completed');
    expect(last.progressPercent).toBe(100);
    // More than one state went by: the stream followed the order rather than reporting it once.
    expect(new Set(updates.map((event) => event.id)).size).toBeGreaterThan(1);
    expect(
      updates.every((event) => event.id === (JSON.parse(event.data) as CustomerOrder).version),
    ).toBe(true);

    // Reconnecting with the version it has: the next event is a new state, not the one it already holds.
    const resumeFrom = updates.at(-1)?.id ?? '';
    const resumed = readEvents(
      url({ token: fresh.accessToken, lastEventId: resumeFrom }),
      (seen) => seen.some((event) => event.id),
      { timeoutMs: 20_000 },
    );
    await waitFor(
      async () => {
        const result = await callProcedure(
          stack.apiUrl,
          'orders.resendEmail',
          { token: fresh.accessToken, kind: 'restoration_complete' },
          'mutation',
        );
        return result.ok;
      },
      { timeout: 5_000, message: 'a resend to change the order' },
    );
    const next = (await resumed).find((event) => event.id);
    expect(next?.id).toBeDefined();
    expect(next?.id).not.toBe(resumeFrom);
  });

  it('streams a ZIP of the restored photos named after the order, counts it, and explains dead links', async () => {
    const created = await callProcedure<{ url: string; fileName: string }>(
      stack.apiUrl,
      'downloads.create',
      { token: completed.accessToken, kind: 'all' },
      'mutation',
    );
    if (!created.ok) throw new Error(created.error.message);
    const path = new URL(created.data.url).pathname;
    const response = await fetch(`${stack.apiUrl}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(created.data.fileName);
    expect(created.data.fileName).toMatch(/^RestoreClick-\d{8}-\d{6}-all\.zip$/);
    const zip = Buffer.from(await response.arrayBuffer());
    const entries = readZipEntries(zip);
    expect(entries.map((entry) => entry.name).sort()).toEqual([
      'originals/grandma-1.jpg',
      'originals/grandma-2.jpg',
      expect.stringMatching(/^restored\/grandma-1-restored\.(png|jpg)$/),
      expect.stringMatching(/^restored\/grandma-2-restored\.(png|jpg)$/),
    ]);
    const images = await stack.testDb.db
      .selectFrom('order_images')
      .select(['restored_key', 'restored_bytes'])
      .where('order_id', '=', completed.orderId)
      .execute();
    for (const image of images) {
      const stored = await stack.store.getBuffer(image.restored_key ?? '');
      const entry = entries.find((candidate) => candidate.size === stored.length);
      // Store mode: each photo is in the archive byte for byte.
      expect(entry).toMatchObject({
        method: 0,
        compressedSize: stored.length,
        crc32: crc32(stored),
      });
    }
    const link = await stack.testDb.db
      .selectFrom('download_links')
      .select(['download_count', 'id'])
      .where('order_id', '=', completed.orderId)
      .executeTakeFirstOrThrow();
    expect(link.download_count).toBe(1);

    const unknown = await fetch(`${stack.apiUrl}/download/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This download link does not exist');
    await stack.testDb.db
      .updateTable('download_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.id)
      .execute();
    const expired = await fetch(`${stack.apiUrl}${path}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
  });

  it('shares the restored photos with an escaped message, and holds the daily limit', async () => {
    const shared = await callProcedure(
      stack.apiUrl,
      'orders.share',
      {
        token: completed.accessToken,
        to: 'cousin@example.com',
        message: 'Look!\n<script>alert(1)</script><mj-text>x</mj-text>',
      },
      'mutation',
    );
    expect(shared.ok).toBe(true);
    const email = await waitFor(
      async () =>
        stack.testDb.db
          .selectFrom('email_messages')
          .selectAll()
          .where('order_id', '=', completed.orderId)
          .where('kind', '=', 'share')
          .where('status', '=', 'sent')
          .executeTakeFirst(),
      { timeout: 20_000, message: 'the share email' },
    );
    expect(email.to_address).toBe('cousin@example.com');
    expect(email.html).not.toMatch(/<script|<mj-text/);
    expect(email.html).toContain('&lt;script&gt;');
    // The recipient gets a download link of their own, never the customer's order token.
    expect(email.text).toMatch(/\/download\/[\w-]{43}/);
    expect(email.text).not.toContain(completed.accessToken);

    for (let count = 2; count <= 5; count += 1) {
      const again = await callProcedure(
        stack.apiUrl,
        'orders.share',
        { token: completed.accessToken, to: `friend${count}@example.com` },
        'mutation',
      );
      expect(again.ok).toBe(true);
    }
    const sixth = await callProcedure(
      stack.apiUrl,
      'orders.share',
      { token: completed.accessToken, to: 'friend6@example.com' },
      'mutation',
    );
    expect(sixth).toMatchObject({
      ok: false,
      error: { data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } },
    });
    if (!sixth.ok)
      expect(sixth.error.message).toMatch(/most shares of this order allowed in a day \(5\)/);
  });

  it('refuses to share an order that is not finished, and a bad address', async () => {
    const unpaid = await stack.checkout({ photos: 1 });
    const notYet = await callProcedure(
      stack.apiUrl,
      'orders.share',
      { token: unpaid.accessToken, to: 'friend@example.com' },
      'mutation',
    );
    expect(notYet).toMatchObject({ ok: false, error: { data: { code: 'PRECONDITION_FAILED' } } });
    const badAddress = await callProcedure(
      stack.apiUrl,
      'orders.share',
      { token: completed.accessToken, to: 'not-an-address' },
      'mutation',
    );
    expect(badAddress).toMatchObject({ ok: false, error: { data: { code: 'BAD_REQUEST' } } });
    if (!badAddress.ok) expect(badAddress.error.message).toMatch(/to must be an email address/);
  });

  it('lists notifications with an unread count and marks them read', async () => {
    const list = () =>
      callProcedure<{ items: Array<{ title: string }>; unreadCount: number }>(
        stack.apiUrl,
        'notifications.list',
        { token: completed.accessToken },
        'query',
      );
    const before = await list();
    if (!before.ok) throw new Error(before.error.message);
    expect(before.data.items.map((item) => item.title)).toEqual([
      'Your restored photos are ready',
      'Payment received',
    ]);
    expect(before.data.unreadCount).toBe(2);
    await callProcedure(
      stack.apiUrl,
      'notifications.markRead',
      { token: completed.accessToken },
      'mutation',
    );
    const after = await list();
    expect(after.ok && after.data.unreadCount).toBe(0);
  });

  it('opens only its own order: every procedure taking a token refuses an unknown one, and photos of another order', async () => {
    const other = await stack.checkoutAndPay({ photos: 1 });
    const stranger = 'A'.repeat(43);
    const tokenProcedures: Array<[string, 'query' | 'mutation', object]> = [
      ['orders.get', 'query', {}],
      ['orders.share', 'mutation', { to: 'x@example.com' }],
      ['orders.resendEmail', 'mutation', { kind: 'order_confirmation' }],
      ['orders.deletePhotos', 'mutation', {}],
      ['downloads.create', 'mutation', { kind: 'all' }],
      ['notifications.list', 'query', {}],
      ['notifications.markRead', 'mutation', {}],
    ];
    // Every procedure with a token is in this list, so a new one cannot skip the check unnoticed.
    const routed = Object.entries(storefrontProcedures).flatMap(([group, procedures]) =>
      typeof procedures === 'object' && procedures !== null && !('_def' in procedures)
        ? Object.keys(procedures).map((name) => `${group}.${name}`)
        : [],
    );
    expect(
      routed
        .filter(
          (path) =>
            ![
              'uploads.createSession',
              'uploads.list',
              'uploads.remove',
              'checkout.create',
              'orders.confirmCheckout',
              'orders.watch',
            ].includes(path),
        )
        .sort(),
    ).toEqual(tokenProcedures.map(([path]) => path).sort());
    for (const [path, method, extra] of tokenProcedures) {
      const result = await callProcedure(stack.apiUrl, path, { token: stranger, ...extra }, method);
      expect(result, path).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
    }
    const watched = await fetch(
      `${stack.apiUrl}/trpc/orders.watch?input=${encodeURIComponent(JSON.stringify({ token: stranger }))}`,
      { headers: { accept: 'text/event-stream' } },
    );
    const streamed = await watched.text();
    expect(streamed).toContain('"code":"NOT_FOUND"');
    expect(streamed).not.toContain('INTERNAL_SERVER_ERROR');

    const mine = await get(completed.accessToken);
    if (!mine.ok) throw new Error(mine.error.message);
    const borrowed = await callProcedure(
      stack.apiUrl,
      'downloads.create',
      { token: other.accessToken, kind: 'all', imageIds: [mine.data.images[0]?.id] },
      'mutation',
    );
    expect(borrowed).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
  });
});
