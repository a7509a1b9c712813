/**
 * The admins' order list and order page over HTTP: newest first, keyset pages that never skip or repeat an
 * order (even among orders created in the same microsecond), every filter, the counts per status, and one
 * order with its photos, attempts, merged timeline and emails.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOrderDetail, AdminOrderPage } from '@restoreclick/core';
import type { OrderStatus } from '@restoreclick/db';
import {
  type AdminApi,
  type AdminClient,
  seedOrders,
  signedInClient,
  startAdminApi,
} from '../test/admin';

const day = (date: string) => new Date(`${date}T12:00:00Z`);

describe('admin order list', () => {
  let api: AdminApi;
  let viewer: AdminClient;
  /** Every seeded order id, newest first by (created_at, id). */
  let allNewestFirst: string[];

  beforeAll(async () => {
    api = await startAdminApi();
    viewer = await signedInClient(api.apiUrl, api.testDb.db, 'viewer');
    const statuses: OrderStatus[] = [
      'completed',
      'processing',
      'needs_attention',
      'completed_with_errors',
      'refunded',
      'pending_payment',
    ];
    await seedOrders(
      api.testDb.db,
      Array.from({ length: 30 }, (_, index) => ({
        status: statuses[index % statuses.length] ?? 'completed',
        createdAt: day(`2026-10-${String(1 + index).padStart(2, '0')}`),
        photos: 1 + (index % 3),
        failedPhotos: index % 6 === 3 ? 1 : 0,
      })),
    );
    await seedOrders(api.testDb.db, [
      {
        status: 'completed',
        createdAt: day('2026-11-02'),
        email: 'Grandma.Rose@Example.org',
        name: 'Rose Smith',
      },
      { status: 'needs_attention', createdAt: day('2026-11-03'), name: 'Ambrose Hill' },
      { status: 'completed', createdAt: day('2026-11-04'), email: 'hill.family@example.net' },
    ]);
    // Twelve orders in the same second: four share one microsecond, the rest one microsecond apart. Pages
    // must split them without losing or repeating one (a cursor rounded to milliseconds would).
    const tied = await seedOrders(
      api.testDb.db,
      Array.from({ length: 12 }, () => ({ status: 'processing', createdAt: day('2026-11-05') })),
    );
    for (const [index, order] of tied.entries()) {
      const micros = index < 4 ? 500_000 : 500_000 + index;
      await sql`update orders set created_at = ${`2026-11-05 12:00:00.${String(micros).padStart(6, '0')}+00`}::timestamptz where id = ${order.id}`.execute(
        api.testDb.db,
      );
    }
    const rows = await api.testDb.db
      .selectFrom('orders')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    allNewestFirst = rows.map((row) => row.id);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function list(input: Record<string, unknown>): Promise<AdminOrderPage> {
    return viewer.get<AdminOrderPage>('orders.list', input);
  }

  async function everyPage(input: Record<string, unknown>, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AdminOrderPage = await list({ ...input, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  it('pages through every order newest first, each exactly once, ties included', async () => {
    const { ids, pages } = await everyPage({}, 7);
    expect(ids).toEqual(allNewestFirst);
    expect(new Set(ids).size).toBe(45);
    expect(pages).toBe(7);
  });

  it('counts every status under the other filters and lists only the chosen statuses', async () => {
    const page = await list({ statuses: ['needs_attention', 'completed_with_errors'], limit: 100 });
    expect(page.items.map((item) => item.status).sort()).toEqual([
      ...Array(5).fill('completed_with_errors'),
      ...Array(6).fill('needs_attention'),
    ]);
    // The counts ignore the status filter: the dashboard shows them on the status tabs.
    expect(page.counts).toEqual({
      pending_payment: 5,
      paid: 0,
      processing: 17,
      completed: 7,
      completed_with_errors: 5,
      needs_attention: 6,
      payment_failed: 0,
      expired: 0,
      cancelled: 0,
      refunded: 5,
      partially_refunded: 0,
    });
    const { ids } = await everyPage({ statuses: ['processing'] }, 5);
    expect(ids).toHaveLength(17);
    expect(ids).toEqual(allNewestFirst.filter((id) => ids.includes(id)));
  });

  it('filters by creation date, from inclusive to exclusive, and counts within the range', async () => {
    const page = await list({ from: '2026-10-10', to: '2026-10-20', limit: 100 });
    expect(page.items).toHaveLength(10);
    expect(
      page.items.every((item) => item.createdAt >= '2026-10-10' && item.createdAt < '2026-10-20'),
    ).toBe(true);
    expect(Object.values(page.counts).reduce((sum, count) => sum + count, 0)).toBe(10);

    const exact = await list({ from: '2026-10-10T12:00:00Z', to: '2026-10-11T12:00:00Z' });
    expect(exact.items.map((item) => item.createdAt)).toEqual(['2026-10-10T12:00:00.000Z']);

    // Days are the admin's: 10 October in Kiritimati (UTC+14) ends at 10:00 UTC, before that day's noon order.
    const farEast = await list({
      from: '2026-10-10',
      to: '2026-10-11',
      timeZone: 'Pacific/Kiritimati',
    });
    expect(farEast.items.map((item) => item.createdAt)).toEqual(['2026-10-09T12:00:00.000Z']);
    const utc = await list({ from: '2026-10-10', to: '2026-10-11' });
    expect(utc.items.map((item) => item.createdAt)).toEqual(['2026-10-10T12:00:00.000Z']);
    const nowhere = await viewer.query('orders.list', {
      from: '2026-10-10',
      timeZone: 'Mars/Base',
    });
    expect(nowhere).toMatchObject({
      ok: false,
      error: { data: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/time zone/) },
    });

    const deepInRange = await everyPage(
      { from: '2026-10-01', to: '2026-11-01', statuses: ['completed'] },
      2,
    );
    expect(deepInRange.ids).toHaveLength(5);
  });

  it('finds customers by any part of their email or name, whatever the case, and orders by number', async () => {
    const byEmail = await list({ search: 'grandma.rose' });
    expect(byEmail.items.map((item) => item.customerEmail)).toEqual(['Grandma.Rose@Example.org']);
    expect(byEmail.counts.completed).toBe(1);

    const byName = await list({ search: 'ROSE' });
    expect(byName.items.map((item) => item.customerName).sort()).toEqual([
      'Ambrose Hill',
      'Rose Smith',
    ]);

    const hills = await list({ search: 'hill' });
    expect(hills.items).toHaveLength(2); // Ambrose Hill by name, hill.family@ by email

    const [target] = await api.testDb.db
      .selectFrom('orders')
      .select('order_number')
      .where('created_at', '=', day('2026-10-07'))
      .execute();
    const number = target?.order_number ?? '';
    const byNumber = await list({ search: number });
    expect(byNumber.items.map((item) => item.orderNumber)).toEqual([number]);
    const byPrefix = await list({ search: '20261007', limit: 100 });
    expect(byPrefix.items.map((item) => item.orderNumber)).toEqual([number]);

    const nothing = await list({ search: '100%_real' });
    expect(nothing.items).toEqual([]);
  });

  it('gives each order its photo counts, amounts and customer', async () => {
    const page = await list({ from: '2026-10-04', to: '2026-10-05' });
    expect(page.items).toEqual([
      expect.objectContaining({
        status: 'completed_with_errors',
        photoCount: 1,
        failedPhotoCount: 1,
        totalAmount: 1800,
        amountRefunded: 0,
        currency: 'usd',
        customerEmail: expect.stringMatching(/@example\.com$/),
        paidAt: '2026-10-04T12:00:00.000Z',
      }),
    ]);
  });

  it('refuses a cursor it did not make, and a limit over 100, with a message that says so', async () => {
    const badCursor = await viewer.query('orders.list', { cursor: 'bm90IGEgY3Vyc29y' });
    expect(badCursor).toMatchObject({
      ok: false,
      error: { data: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/first page/) },
    });
    const tooMany = await viewer.query('orders.list', { limit: 500 });
    expect(tooMany).toMatchObject({
      ok: false,
      error: {
        data: { code: 'BAD_REQUEST' },
        message: expect.stringMatching(/limit must be at most 100/),
      },
    });
    const badDate = await viewer.query('orders.list', { from: 'last tuesday' });
    expect(badDate).toMatchObject({ ok: false, error: { data: { code: 'BAD_REQUEST' } } });
  });
});

describe('admin order page', () => {
  let api: AdminApi;
  let admin: AdminClient & { user: { id: string; email: string } };

  beforeAll(async () => {
    api = await startAdminApi();
    admin = await signedInClient(api.apiUrl, api.testDb.db, 'admin');
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('shows photos with working links, each attempt, the emails and a timeline merged with admin actions', async () => {
    const [order] = await seedOrders(api.testDb.db, [
      { status: 'needs_attention', createdAt: new Date(), photos: 2, failedPhotos: 1 },
    ]);
    const orderId = order?.id ?? '';
    const images = await api.testDb.db
      .selectFrom('order_images')
      .select(['id', 'position'])
      .where('order_id', '=', orderId)
      .orderBy('position')
      .execute();
    const [failed, restored] = images;
    await api.deps.objectStore.put(`originals/${orderId}/1.jpg`, Buffer.from('the original'), {
      contentType: 'image/jpeg',
    });
    await api.testDb.db
      .updateTable('order_images')
      .set({ original_key: `originals/${orderId}/1.jpg`, error: 'The model gave up.' })
      .where('id', '=', failed?.id ?? '')
      .execute();
    const started = new Date('2026-11-20T10:00:00Z');
    await api.testDb.db
      .insertInto('restoration_jobs')
      .values(
        [1, 2].map((attempt) => ({
          order_id: orderId,
          order_image_id: failed?.id ?? '',
          provider: 'replicate',
          model: 'owner/model',
          attempt,
          status: 'failed' as const,
          error: `attempt ${attempt} failed`,
          started_at: new Date(started.getTime() + attempt * 60_000),
          finished_at: new Date(started.getTime() + attempt * 60_000 + 4_500),
          cost_micros: 6300,
        })),
      )
      .execute();
    await api.testDb.db
      .insertInto('order_events')
      .values({
        order_id: orderId,
        type: 'image.failed',
        actor: 'worker',
        data: JSON.stringify({ filename: 'photo-1.jpg', reason: 'The model gave up.' }),
      })
      .execute();
    await api.testDb.db
      .insertInto('email_messages')
      .values({
        order_id: orderId,
        kind: 'order_confirmation',
        to_address: 'ada@example.com',
        template: 'order-confirmation',
        idempotency_key: `page-test:${orderId}`,
        status: 'sent',
        sent_at: new Date(),
        attempts: 1,
      })
      .execute();

    const detail = await admin.run<AdminOrderDetail>('orders.changeStatus', {
      id: orderId,
      to: 'completed_with_errors',
      note: 'Customer is happy with one photo',
    });

    expect(detail.status).toBe('completed_with_errors');
    expect(detail.completedAt).not.toBeNull();
    expect(detail.allowedTransitions).toEqual(['processing']);
    expect(detail.actions).toMatchObject({
      canRetryFailed: true,
      canCancel: false,
      canRerunFulfilment: false,
      // Seeded without a Stripe payment: nothing to refund through Stripe.
      canRefund: false,
    });
    const failedImage = detail.images.find((image) => image.id === failed?.id);
    expect(failedImage).toMatchObject({
      status: 'failed',
      error: 'The model gave up.',
      restoredUrl: null,
    });
    expect(failedImage?.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: 'failed',
        durationMs: 4500,
        costCents: 0.63,
        error: 'attempt 1 failed',
      }),
      expect.objectContaining({
        attempt: 2,
        status: 'failed',
        provider: 'replicate',
        model: 'owner/model',
      }),
    ]);
    const original = await fetch(failedImage?.originalUrl ?? '');
    expect(original.status).toBe(200);
    expect(await original.text()).toBe('the original');
    expect(detail.images.find((image) => image.id === restored?.id)?.originalUrl).toBeNull();

    expect(detail.emails).toEqual([
      expect.objectContaining({
        kind: 'order_confirmation',
        to: 'ada@example.com',
        status: 'sent',
        attempts: 1,
      }),
    ]);
    const types = detail.timeline.map((entry) => `${entry.source}:${entry.type}`);
    expect(types).toEqual([
      'order:image.failed',
      'audit:order.change_status',
      'order:order.status_changed',
    ]);
    expect(detail.timeline[1]).toMatchObject({
      actor: admin.user.email,
      summary: `${admin.user.email} changed the status: “Customer is happy with one photo”`,
      data: { before: { status: 'needs_attention' }, after: { status: 'completed_with_errors' } },
    });
    expect(detail.timeline[2]).toMatchObject({
      actor: admin.user.email,
      summary: 'Status changed from needs_attention to completed_with_errors',
    });

    const refused = await admin.mutate('orders.changeStatus', {
      id: orderId,
      to: 'refunded',
      note: 'no',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        data: { code: 'CONFLICT' },
        message: expect.stringMatching(
          /cannot be set to refunded by hand \(it can be set to processing\)/,
        ),
      },
    });
    const missing = await admin.query('orders.get', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
  });
});
