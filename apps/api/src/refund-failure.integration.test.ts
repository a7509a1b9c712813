/**
 * A refund that Stripe made and that fails days later (the customer's card was closed): Stripe puts the money
 * back on the charge and sends `refund.updated`, `charge.refund.updated` and `refund.failed`. The order follows
 * the charge: its refunded amount goes back down, the admin's refund request is marked failed, the timeline
 * says so once, and an order with nothing refunded any more waits for an admin, who can refund it again.
 * Before, the order kept saying "refunded" while the customer never got the money.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminOrderDetail, type BusinessSummary, sweepStuckOrders } from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { type AdminClient, signedInClient } from '../test/admin';
import { type FullStack, startFullStack } from '../test/full-stack';

describe('a refund that fails after Stripe made it', () => {
  let stack: FullStack;
  let admin: AdminClient;

  beforeAll(async () => {
    stack = await startFullStack();
    admin = await signedInClient(stack.apiUrl, stack.testDb.db, 'admin');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const order = (orderId: string) =>
    stack.testDb.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
  const eventsOf = (orderId: string, type: string) =>
    stack.testDb.db
      .selectFrom('order_events')
      .select(['data', 'from_status', 'to_status'])
      .where('order_id', '=', orderId)
      .where('type', '=', type)
      .execute();
  const refundRequest = (providerRefundId: string) =>
    stack.testDb.db
      .selectFrom('refund_requests')
      .selectAll()
      .where('provider_refund_id', '=', providerRefundId)
      .executeTakeFirstOrThrow();

  async function paidOrder(): Promise<string> {
    const orderId = await stack.payForOrder({ photos: 2 });
    await stack.waitForOrderStatus(orderId, 'completed');
    return orderId;
  }

  /** Waits until every Stripe event so far was handled by the worker. */
  async function stripeEventsHandled(): Promise<void> {
    await stack.stripe.deliveriesIdle();
    await waitFor(
      async () => {
        const open = await stack.testDb.db
          .selectFrom('stripe_events')
          .select('id')
          .where('status', 'in', ['received', 'failed'])
          .execute();
        return open.length === 0;
      },
      { timeout: 30_000, message: 'every Stripe event to be handled' },
    );
  }

  it('takes a fully refunded order back to an admin, once, and lets the admin refund it again', async () => {
    const orderId = await paidOrder();
    const refund = await admin.run<{ refundId: string; amount: number }>('orders.refund', {
      id: orderId,
    });
    await stack.waitForOrderStatus(orderId, 'refunded');
    const paid = (await order(orderId)).amount_paid;
    expect(refund.amount).toBe(paid);

    stack.stripe.failRefund(refund.refundId, 'expired_or_canceled_card');
    await stack.waitForOrderStatus(orderId, 'needs_attention');
    await stripeEventsHandled();

    expect((await order(orderId)).amount_refunded).toBe(0);
    expect(await refundRequest(refund.refundId)).toMatchObject({
      status: 'failed',
      provider_status: 'failed',
      error: 'Stripe could not complete the refund: expired_or_canceled_card',
    });
    // Three events from Stripe about one failure: one entry on the timeline.
    const failed = await eventsOf(orderId, 'refund.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      from_status: 'refunded',
      to_status: 'needs_attention',
      data: {
        refundId: refund.refundId,
        amount: paid,
        reason: 'expired_or_canceled_card',
        amountRefunded: 0,
        previouslyRefunded: paid,
      },
    });
    // The stuck-order sweeper, a day later, leaves it to the admin: it does not "complete" it.
    const { workerDeps } = stack;
    if (!workerDeps) throw new Error('the stack runs no worker');
    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000);
    await sweepStuckOrders(stack.testDb.db, { ...workerDeps.sweeper, now: () => tomorrow });
    expect((await order(orderId)).status).toBe('needs_attention');
    expect(await eventsOf(orderId, 'order.swept')).toEqual([]);

    const page = await admin.get<AdminOrderDetail>('orders.get', { id: orderId });
    expect(page.actions).toMatchObject({ canRefund: true, refundableAmount: paid });

    // The admin refunds again (to another card, say): the order is refunded for real this time.
    const again = await admin.run<{ refundId: string; amount: number }>('orders.refund', {
      id: orderId,
      reason: 'requested_by_customer',
    });
    expect(again.refundId).not.toBe(refund.refundId);
    await stack.waitForOrderStatus(orderId, 'refunded');
    expect((await order(orderId)).amount_refunded).toBe(paid);
  });

  it('keeps a refunded order partially refunded when one of its refunds fails', async () => {
    const orderId = await paidOrder();
    const part = await admin.run<{ refundId: string; amount: number }>('orders.refund', {
      id: orderId,
      amount: 500,
    });
    await stack.waitForOrderStatus(orderId, 'partially_refunded');
    const rest = await admin.run<{ refundId: string; amount: number }>('orders.refund', {
      id: orderId,
    });
    await stack.waitForOrderStatus(orderId, 'refunded');

    stack.stripe.failRefund(part.refundId);
    await stack.waitForOrderStatus(orderId, 'partially_refunded');
    await stripeEventsHandled();

    expect((await order(orderId)).amount_refunded).toBe(rest.amount);
    expect((await refundRequest(part.refundId)).status).toBe('failed');
    expect((await refundRequest(rest.refundId)).status).toBe('succeeded');
    expect(await eventsOf(orderId, 'refund.failed')).toHaveLength(1);
  });

  it('counts on the business page only the refunds that stand', async () => {
    const summary = await admin.get<BusinessSummary>('business.summary', { days: 7 });
    const { total } = await stack.testDb.db
      .selectFrom('orders')
      .select((eb) => eb.fn.sum<string>('amount_refunded').as('total'))
      .executeTakeFirstOrThrow();
    expect(summary.totals.refunded).toBe(Number(total));
  });
});
