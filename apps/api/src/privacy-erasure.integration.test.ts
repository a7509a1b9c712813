/**
 * Access and erasure requests through the admin endpoint, against the real S3 API: an admin exports everything
 * we hold about a customer as one JSON document, then erases them — every object of their orders leaves the
 * bucket (listing it proves it) while another customer's stay, their name, email and address become a
 * tombstone everywhere, the emails' bodies are cleared, the orders stay for accounting, and an audit row says who
 * did it and when. Erasure waits for orders that still need their photos.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDataExport, CustomerErased, PrivacyCustomer } from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { type AdminClient, signedInClient } from '../test/admin';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure } from '../test/wire';

describe('customer data requests', () => {
  let stack: FullStack;
  let admin: AdminClient & { user: { id: string; email: string } };
  let viewer: AdminClient;
  /** Bob's one order, which must come through Ada's erasure untouched. */
  let bobs: { orderId: string; accessToken: string };
  let adas: Array<{ orderId: string; accessToken: string }>;

  beforeAll(async () => {
    stack = await startFullStack();
    bobs = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(bobs.orderId, 'completed', 60_000);
    // The stack checks out as ada@example.com: Bob's order becomes his before Ada orders.
    const { customer_id: bobId } = await db()
      .selectFrom('orders')
      .select('customer_id')
      .where('id', '=', bobs.orderId)
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('customers')
      .set({ email: 'bob@example.com', email_normalized: 'bob@example.com', name: 'Bob' })
      .where('id', '=', bobId)
      .execute();
    await db()
      .updateTable('orders')
      .set({ customer_email: 'bob@example.com', customer_name: 'Bob' })
      .where('id', '=', bobs.orderId)
      .execute();

    adas = [await stack.checkoutAndPay({ photos: 2 }), await stack.checkoutAndPay({ photos: 1 })];
    for (const order of adas) await stack.waitForOrderStatus(order.orderId, 'completed', 60_000);
    const shared = await callProcedure(
      stack.apiUrl,
      'orders.share',
      { token: adas[0]?.accessToken, to: 'aunt@example.com', message: 'Look, Grandma Rose!' },
      'mutation',
    );
    expect(shared.ok).toBe(true);
    await waitFor(
      async () =>
        (
          await db()
            .selectFrom('email_messages')
            .select('id')
            .where('order_id', 'in', adaOrderIds())
            .where('status', '!=', 'sent')
            .execute()
        ).length === 0,
      { timeout: 30_000, message: "Ada's emails to be sent" },
    );
    admin = await signedInClient(stack.apiUrl, db(), 'admin');
    viewer = await signedInClient(stack.apiUrl, db(), 'viewer');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function db() {
    return stack.testDb.db;
  }
  function adaOrderIds(): string[] {
    return adas.map((order) => order.orderId);
  }
  async function bucket(): Promise<string[]> {
    return (await stack.store.list('uploads/')).map((object) => object.key).sort();
  }
  const ofAda = (key: string) => adaOrderIds().some((id) => key.includes(id));

  it('shows viewers who the customer is and whether erasure may go ahead', async () => {
    const found = await viewer.get<PrivacyCustomer>('privacy.findCustomer', {
      email: 'Ada@Example.com',
    });
    expect(found).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      erasureBlockedBy: null,
      orders: [
        { id: adas[0]?.orderId, photos: 2, photosWithFiles: 2, inUse: null },
        { id: adas[1]?.orderId, photos: 1, photosWithFiles: 1, inUse: null },
      ],
    });
    expect(found.emails).toBe(5); // a confirmation and a completion per order, and the share
    const refused = await viewer.mutate('privacy.exportCustomer', { email: 'ada@example.com' });
    expect(refused).toMatchObject({ ok: false, error: { data: { code: 'FORBIDDEN' } } });
  });

  it('exports everything we hold about the customer as one JSON document, and audits it', async () => {
    const { fileName, data } = await admin.run<{ fileName: string; data: CustomerDataExport }>(
      'privacy.exportCustomer',
      { email: ' ada@example.com ' },
    );
    expect(fileName).toMatch(/^restoreclick-customer-[0-9a-f-]{36}\.json$/);
    expect(data).toMatchObject({
      format: 'restoreclick.customer-export.v1',
      customer: { email: 'ada@example.com', name: 'Ada' },
    });
    expect(data.orders.map((order) => order.id)).toEqual(adaOrderIds());
    const [first] = data.orders;
    expect(first).toMatchObject({ status: 'completed', email: 'ada@example.com', name: 'Ada' });
    expect(first?.photos.map((photo) => photo.filename)).toEqual([
      'grandma-1.jpg',
      'grandma-2.jpg',
    ]);
    expect(first?.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['order.created', 'payment.succeeded', 'order.completed']),
    );
    expect(data.emails.map((email) => email.kind).sort()).toEqual([
      'order_confirmation',
      'order_confirmation',
      'restoration_complete',
      'restoration_complete',
      'share',
    ]);
    const completion = data.emails.find((email) => email.kind === 'restoration_complete');
    expect(completion?.text).toContain('restored');
    expect(JSON.stringify(data)).not.toContain('bob@example.com');

    const audit = await db()
      .selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'customer.export')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ admin_user_id: admin.user.id, entity_type: 'customer' });
  });

  it('erases the customer: photos gone from the bucket, tombstones everywhere, orders kept, audited', async () => {
    const linkResult = await callProcedure<{ url: string }>(
      stack.apiUrl,
      'downloads.create',
      { token: adas[1]?.accessToken, kind: 'all' },
      'mutation',
    );
    if (!linkResult.ok) throw new Error(linkResult.error.message);
    const before = await bucket();
    expect(before.filter(ofAda)).toHaveLength(12); // 3 photos × original, restored and their previews
    const ordersBefore = await db()
      .selectFrom('orders')
      .select(['id', 'status', 'total_amount', 'amount_paid', 'currency', 'order_number'])
      .where('id', 'in', adaOrderIds())
      .orderBy('created_at')
      .execute();
    const sessions = await db()
      .selectFrom('orders')
      .select(['stripe_checkout_session_id', 'upload_session_id'])
      .where('id', 'in', adaOrderIds())
      .execute();

    const stripeEventsOf = async (sessionId: string | null) => {
      const { rows } = await sql<{ found: string }>`
        select count(*) as found from stripe_events where position(${sessionId ?? '-'} in payload::text) > 0
      `.execute(db());
      return Number(rows[0]?.found);
    };
    for (const order of sessions) {
      expect(await stripeEventsOf(order.stripe_checkout_session_id)).toBeGreaterThan(0);
    }
    const uploadSessions = sessions.map((order) => order.upload_session_id ?? '');
    expect(
      await db()
        .selectFrom('uploads')
        .select('id')
        .where('upload_session_id', 'in', uploadSessions)
        .execute(),
    ).toHaveLength(3);

    const erased = await admin.run<CustomerErased>('privacy.eraseCustomer', {
      email: 'ada@example.com',
      reason: 'Erasure request, ticket 4711',
    });
    expect(erased).toMatchObject({
      orders: ordersBefore.map((order) => ({ id: order.id, orderNumber: order.order_number })),
      photosDeleted: 3,
      emailsCleared: 5,
      objectsDeleted: 12,
    });

    // The bucket: nothing of Ada's, everything of Bob's.
    expect(await bucket()).toEqual(before.filter((key) => !ofAda(key)));
    expect((await bucket()).some((key) => key.includes(bobs.orderId))).toBe(true);

    const customer = await db()
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', erased.customerId)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({
      email: `erased-${erased.customerId}@erased.invalid`,
      name: 'Erased customer',
    });
    expect(customer.erased_at).not.toBeNull();

    // Orders stay for accounting, with their money and statuses, and without the person.
    const ordersAfter = await db()
      .selectFrom('orders')
      .selectAll()
      .where('id', 'in', adaOrderIds())
      .orderBy('created_at')
      .execute();
    for (const [index, order] of ordersAfter.entries()) {
      expect(order).toMatchObject({
        ...ordersBefore[index],
        customer_email: customer.email,
        customer_name: 'Erased customer',
        billing_address: null,
      });
    }
    const photos = await db()
      .selectFrom('order_images')
      .select(['original_filename', 'status'])
      .where('order_id', 'in', adaOrderIds())
      .orderBy('order_id')
      .orderBy('position')
      .execute();
    for (const photo of photos) {
      expect(photo.status).toBe('purged');
      expect(photo.original_filename).toMatch(/^photo-\d+\.jpg$/);
    }
    const emails = await db()
      .selectFrom('email_messages')
      .select(['to_address', 'html', 'text', 'data', 'subject'])
      .where('order_id', 'in', adaOrderIds())
      .execute();
    expect(emails).toHaveLength(5);
    for (const email of emails) {
      expect(email).toMatchObject({
        to_address: customer.email,
        html: null,
        text: null,
        data: { erased: true },
      });
    }

    // Nothing that names Ada, her photos or whom she shared them with is left in her orders' records.
    for (const [table, column] of [
      ['customers', 'email'],
      ['orders', 'customer_email'],
      ['email_messages', 'to_address'],
      ['order_events', 'data'],
      ['order_images', 'original_filename'],
      ['notifications', 'title'],
      ['uploads', 'original_filename'],
    ] as const) {
      const { rows } = await sql<{ found: string }>`
        select count(*) as found from ${sql.table(table)} as t
        where (t::text ilike '%ada@example.com%' or t::text ilike '%grandma%'
          or t::text ilike '%aunt@example.com%' or t::text ilike '%Grandma Rose%')
          ${
            table === 'customers'
              ? sql``
              : table === 'uploads'
                ? sql`and t.upload_session_id in (${sql.join(uploadSessions)})`
                : sql`and t.${sql.ref(table === 'orders' ? 'id' : 'order_id')} in (${sql.join(adaOrderIds())})`
          }
      `.execute(db());
      expect(Number(rows[0]?.found), `${table}.${column}`).toBe(0);
    }
    // The processed Stripe webhooks that carried her email and address are gone too.
    for (const order of sessions) {
      expect(await stripeEventsOf(order.stripe_checkout_session_id)).toBe(0);
    }

    const events = await db()
      .selectFrom('order_events')
      .selectAll()
      .where('type', '=', 'customer.erased')
      .execute();
    expect(events.map((event) => event.order_id).sort()).toEqual([...adaOrderIds()].sort());
    for (const event of events) expect(event.actor).toBe(`admin:${admin.user.id}`);
    const audit = await db()
      .selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'customer.erase')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      admin_user_id: admin.user.id,
      entity_type: 'customer',
      entity_id: erased.customerId,
      before: { orders: 2, photos: 3, photosWithFiles: 3 },
      after: {
        orderNumbers: ordersBefore.map((order) => order.order_number),
        photosDeleted: 3,
        reason: 'Erasure request, ticket 4711',
      },
    });
    expect(audit.at).toBeInstanceOf(Date);

    // The dashboard's timeline of each order says who erased her.
    const detail = await admin.get<{ timeline: Array<{ actor: string; summary: string }> }>(
      'orders.get',
      { id: adas[0]?.orderId },
    );
    expect(detail.timeline.at(-1)).toMatchObject({
      actor: admin.user.email,
      summary: 'Customer erased: photos deleted, personal data removed',
    });

    // Her links no longer open anything.
    const page = await callProcedure(
      stack.apiUrl,
      'orders.get',
      { token: adas[0]?.accessToken },
      'query',
    );
    expect(page).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
    const download = await fetch(linkResult.data.url.replace(/^https?:\/\/[^/]+/, stack.apiUrl));
    expect(download.status).toBe(410);

    // She cannot be found by her old email any more; Bob can.
    const again = await admin.mutate('privacy.eraseCustomer', { email: 'ada@example.com' });
    expect(again).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
    expect(
      await admin.get<PrivacyCustomer>('privacy.findCustomer', { email: 'bob@example.com' }),
    ).toMatchObject({ orders: [{ id: bobs.orderId, photosWithFiles: 1 }] });
  });

  it('waits for an order that is still to be paid, and changes nothing meanwhile', async () => {
    // A new order with her address makes a new customer: the erased one stays erased.
    const unpaid = await stack.checkout({ photos: 1 });
    const { order_number: orderNumber } = await db()
      .selectFrom('orders')
      .select('order_number')
      .where('id', '=', unpaid.orderId)
      .executeTakeFirstOrThrow();
    const before = await bucket();
    const audits = await db().selectFrom('audit_logs').select('id').execute();

    const refused = await admin.mutate('privacy.eraseCustomer', { email: 'ada@example.com' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        data: { code: 'CONFLICT' },
        message: `Order ${orderNumber} waits for payment (cancel it first). Then erase the customer.`,
      },
    });
    expect(await bucket()).toEqual(before);
    expect(await db().selectFrom('audit_logs').select('id').execute()).toHaveLength(audits.length);
  });
});
