/**
 * What admins do to orders, through the whole system (api, worker, local Stripe and Replicate servers): refunds
 * in parts that Stripe really makes once each and the webhook turns into the order's status, failed photos
 * retried until they are restored, emails sent again exactly once, unpaid orders cancelled or fulfilled after a
 * lost webhook, dead letters sent back, scheduled jobs run now. Each action leaves its audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdminEmailDetail,
  type AdminOrderDetail,
  type AdminQueueStats,
  type BusinessSummary,
  type EmailTransport,
  OutboxEmailTransport,
  type OutgoingEmail,
  ReplicateRestorationProvider,
  type ServiceCheck,
} from '@restoreclick/core';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type AdminClient, signedInClient } from '../test/admin';
import { deadLettersOf, type FullStack, startFullStack } from '../test/full-stack';

const MODEL = 'flux-kontext-apps/restore-image';

/** The outbox, counting what it was asked to send, by message id. */
class CountingTransport implements EmailTransport {
  readonly name = 'outbox';
  readonly sent = new Map<string, number>();
  private readonly outbox = new OutboxEmailTransport();

  async send(email: OutgoingEmail) {
    this.sent.set(email.messageId, (this.sent.get(email.messageId) ?? 0) + 1);
    return this.outbox.send(email);
  }
}

async function auditRowsOf(stack: FullStack, entityId: string, action: string) {
  return stack.testDb.db
    .selectFrom('audit_logs')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('admin actions on orders', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;
  let admin: AdminClient & { user: { id: string; email: string } };
  const transport = new CountingTransport();

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await startFullStack({
      restoration: {
        provider: new ReplicateRestorationProvider({
          client: replicate.client(),
          costMicrosPerSecond: { [MODEL]: 1400 },
        }),
        close: async () => {},
      },
      replicateWebhookSecret: replicate.webhookSecret,
      webhooksToApi: true,
      emailTransport: transport,
      workerEnv: { QUEUE_CONCURRENCY: 'restoration.run=1' },
    });
    admin = await signedInClient(stack.apiUrl, stack.testDb.db, 'admin');
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  async function order(orderId: string) {
    return stack.testDb.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
  }

  it('refunds in part, then the rest, once each however often it is asked, and the order follows Stripe', async () => {
    const orderId = await stack.payForOrder({ photos: 2 });
    await stack.waitForOrderStatus(orderId, 'completed');
    const paid = await order(orderId);
    expect(paid.amount_paid).toBe(1800);

    // A double click: both requests at once, one refund.
    const [first, again] = await Promise.all([
      admin.run<{ refundId: string; amount: number; status: string }>('orders.refund', {
        id: orderId,
        amount: 500,
        reason: 'requested_by_customer',
      }),
      admin.run<{ refundId: string }>('orders.refund', {
        id: orderId,
        amount: 500,
        reason: 'requested_by_customer',
      }),
    ]);
    expect(first).toEqual({
      refundId: expect.stringMatching(/^re_/),
      amount: 500,
      status: 'succeeded',
    });
    expect(again.refundId).toBe(first.refundId);
    await stack.waitForOrderStatus(orderId, 'partially_refunded');
    expect((await order(orderId)).amount_refunded).toBe(500);

    const page = await admin.get<AdminOrderDetail>('orders.get', { id: orderId });
    expect(page.actions).toMatchObject({ canRefund: true, refundableAmount: 1300 });

    const rest = await admin.run<{ refundId: string; amount: number }>('orders.refund', {
      id: orderId,
    });
    expect(rest.amount).toBe(1300);
    expect(rest.refundId).not.toBe(first.refundId);
    // The same "refund the rest" again (a retry after a timeout): the same refund, not another.
    const restAgain = await admin.run<{ refundId: string }>('orders.refund', { id: orderId });
    expect(restAgain.refundId).toBe(rest.refundId);
    await stack.waitForOrderStatus(orderId, 'refunded');
    expect((await order(orderId)).amount_refunded).toBe(1800);

    const refunds = await stack.stripe
      .client()
      .refunds.list({ payment_intent: paid.stripe_payment_intent_id ?? '' });
    expect(refunds.data.map((refund) => refund.amount).sort((a, b) => a - b)).toEqual([500, 1300]);

    const more = await admin.mutate('orders.refund', { id: orderId, amount: 100 });
    expect(more).toMatchObject({
      ok: false,
      error: { data: { code: 'CONFLICT' }, message: expect.stringMatching(/can be refunded/) },
    });

    const audits = await auditRowsOf(stack, orderId, 'order.refund');
    expect(audits.map((row) => [row.admin_user_id, row.before, row.after])).toEqual([
      [
        admin.user.id,
        expect.objectContaining({ status: 'completed', amountRefunded: 0, refundable: 1800 }),
        expect.objectContaining({ amount: 500, currency: 'usd' }),
      ],
      [
        admin.user.id,
        expect.objectContaining({
          status: 'partially_refunded',
          amountRefunded: 500,
          refundable: 1300,
        }),
        expect.objectContaining({ amount: 1300 }),
      ],
    ]);
    const timeline = (await admin.get<AdminOrderDetail>('orders.get', { id: orderId })).timeline;
    expect(timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['payment.partially_refunded', 'payment.refunded', 'refund.created']),
    );
  });

  it('sends an email again as exactly one new message, once, and shows it in the outbox', async () => {
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed');
    const emails = () =>
      stack.testDb.db
        .selectFrom('email_messages')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('created_at')
        .execute();
    await waitFor(async () => (await emails()).every((email) => email.status === 'sent'), {
      message: 'the order emails to be sent',
    });
    const before = await emails();
    const confirmation = before.find((email) => email.kind === 'order_confirmation');
    expect(confirmation).toBeDefined();

    const [resent, secondClick] = await Promise.all([
      admin.run<{ emailMessageId: string }>('orders.resendEmail', {
        id: orderId,
        emailMessageId: confirmation?.id,
      }),
      admin.run<{ emailMessageId: string }>('orders.resendEmail', {
        id: orderId,
        emailMessageId: confirmation?.id,
      }),
    ]);
    expect(secondClick.emailMessageId).toBe(resent.emailMessageId);
    await waitFor(
      async () =>
        (await emails()).find((email) => email.id === resent.emailMessageId)?.status === 'sent',
      { message: 'the resent email to be sent' },
    );
    const after = await emails();
    expect(after).toHaveLength(before.length + 1);
    expect(transport.sent.get(resent.emailMessageId)).toBe(1);
    expect(transport.sent.get(confirmation?.id ?? '')).toBe(1);

    const detail = await admin.get<AdminEmailDetail>('emails.get', { id: resent.emailMessageId });
    expect(detail).toMatchObject({
      kind: 'order_confirmation',
      to: confirmation?.to_address,
      status: 'sent',
      provider: 'outbox',
      orderId,
      subject: confirmation?.subject,
    });
    expect(detail.html).toContain((await order(orderId)).order_number);
    const outbox = await admin.get<{ items: Array<{ id: string }> }>('emails.list', {
      provider: 'outbox',
      search: (await order(orderId)).order_number,
    });
    expect(outbox.items.map((item) => item.id)).toContain(resent.emailMessageId);

    const [audit] = await auditRowsOf(stack, orderId, 'order.resend_email');
    expect(audit).toMatchObject({
      admin_user_id: admin.user.id,
      before: { emailMessageId: confirmation?.id, kind: 'order_confirmation' },
      after: { emailMessageId: resent.emailMessageId },
    });
    // From the email list too: the restored-photos email, once more.
    const completion = before.find((email) => email.kind === 'restoration_complete');
    const fromList = await admin.run<{ emailMessageId: string }>('emails.resend', {
      id: completion?.id,
    });
    await waitFor(
      async () =>
        (await emails()).find((email) => email.id === fromList.emailMessageId)?.status === 'sent',
      { message: 'the email resent from the list to be sent' },
    );
    expect(transport.sent.get(fromList.emailMessageId)).toBe(1);
    const [listAudit] = await auditRowsOf(stack, orderId, 'email.resend');
    expect(listAudit).toMatchObject({
      admin_user_id: admin.user.id,
      before: { emailMessageId: completion?.id, kind: 'restoration_complete', status: 'sent' },
      after: { emailMessageId: fromList.emailMessageId },
    });

    const foreign = await admin.mutate('orders.resendEmail', {
      id: await stack.payForOrder({ photos: 1 }),
      emailMessageId: confirmation?.id,
    });
    expect(foreign).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
  });

  it('cancels an unpaid order and closes its checkout page at Stripe', async () => {
    const { orderId } = await stack.checkout({ photos: 1 });
    const detail = await admin.run<AdminOrderDetail>('orders.cancel', {
      id: orderId,
      note: 'Customer asked us by phone',
    });
    expect(detail.status).toBe('cancelled');
    expect(detail.cancelledAt).not.toBeNull();
    const sessionId = (await order(orderId)).stripe_checkout_session_id ?? '';
    const session = await stack.stripe.client().checkout.sessions.retrieve(sessionId);
    expect(session.status).toBe('expired');
    const [audit] = await auditRowsOf(stack, orderId, 'order.cancel');
    expect(audit).toMatchObject({
      before: { status: 'pending_payment', checkoutSessionId: sessionId },
      after: { status: 'cancelled', note: 'Customer asked us by phone' },
    });

    const paidOrder = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(paidOrder, 'completed');
    const refused = await admin.mutate('orders.cancel', { id: paidOrder });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        data: { code: 'CONFLICT' },
        message:
          'Only orders waiting for payment can be cancelled; this one is completed. Refund it instead.',
      },
    });
  });

  it('fulfils instead of cancelling an order the customer paid just before', async () => {
    const { orderId } = await stack.checkout({ photos: 1 });
    const sessionId = (await order(orderId)).stripe_checkout_session_id ?? '';
    stack.stripe.setWebhookUrl(undefined);
    try {
      stack.stripe.completeCheckout(sessionId, 'pay', { email: 'ada@example.com', name: 'Ada' });
      const cancel = await admin.mutate('orders.cancel', { id: orderId });
      expect(cancel).toMatchObject({
        ok: false,
        error: {
          data: { code: 'CONFLICT' },
          message: expect.stringMatching(/paid before the checkout could be closed/),
        },
      });
    } finally {
      stack.stripe.setWebhookUrl(`${stack.apiUrl}/webhooks/stripe`);
    }
    expect((await order(orderId)).status).not.toBe('cancelled');
    await stack.waitForOrderStatus(orderId, 'completed');
    expect(await auditRowsOf(stack, orderId, 'order.cancel')).toEqual([]);
  });

  it('fulfils a paid order whose webhook never came when fulfilment is run again', async () => {
    const { orderId } = await stack.checkout({ photos: 1 });
    const sessionId = (await order(orderId)).stripe_checkout_session_id ?? '';
    expect(await admin.run('orders.rerunFulfilment', { id: orderId })).toEqual({
      result: 'not_paid',
    });

    stack.stripe.setWebhookUrl(undefined);
    try {
      stack.stripe.completeCheckout(sessionId, 'pay', { email: 'ada@example.com', name: 'Ada' });
      expect((await order(orderId)).status).toBe('pending_payment');
      expect(await admin.run('orders.rerunFulfilment', { id: orderId })).toEqual({
        result: 'fulfilled',
      });
    } finally {
      stack.stripe.setWebhookUrl(`${stack.apiUrl}/webhooks/stripe`);
    }
    await stack.waitForOrderStatus(orderId, 'completed');
    const audits = await auditRowsOf(stack, orderId, 'order.rerun_fulfilment');
    expect(audits.map((row) => row.after)).toEqual([
      { status: 'pending_payment', result: 'not_paid' },
      { status: 'paid', result: 'fulfilled' },
    ]);
  });

  it('sends dead letters back to their queue and runs scheduled jobs now', async () => {
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed');
    const email = await stack.testDb.db
      .insertInto('email_messages')
      .values({
        order_id: orderId,
        kind: 'order_confirmation',
        to_address: 'ada@example.com',
        template: 'order-confirmation',
        data: JSON.stringify({ orderId }),
        idempotency_key: `dead-letter-test:${orderId}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await stack.api.jobs.deadLetter(
      stack.testDb.db,
      'email.send',
      { emailMessageId: email.id },
      'gave up in a test',
    );
    const queues = await admin.get<AdminQueueStats[]>('operations.queues');
    expect(queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['email.send', 'restoration.run', 'stripe.event']),
    );
    expect(queues.find((queue) => queue.name === 'email.send')?.deadLetter).toBe(1);

    expect(await admin.run('operations.retryDeadLetters', { queue: 'email.send' })).toEqual({
      retried: 1,
    });
    await waitFor(
      async () =>
        (
          await stack.testDb.db
            .selectFrom('email_messages')
            .select('status')
            .where('id', '=', email.id)
            .executeTakeFirstOrThrow()
        ).status === 'sent',
      { message: 'the dead-lettered email to be sent' },
    );
    const [after] = (await admin.get<AdminQueueStats[]>('operations.queues')).filter(
      (queue) => queue.name === 'email.send',
    );
    expect(after?.deadLetter).toBe(0);
    const [retryAudit] = await auditRowsOf(stack, 'email.send', 'queue.retry_dead_letters');
    expect(retryAudit).toMatchObject({ before: { deadLetters: 1 }, after: { retried: 1 } });

    for (const [path, queue] of [
      ['operations.runReconciliation', 'payments.reconcile'],
      ['operations.runCleanup', 'cleanup.expired'],
    ] as const) {
      const { jobId } = await admin.run<{ jobId: string }>(path);
      await waitFor(
        async () => {
          const job = await stack.testDb.db
            .selectFrom('pgboss.job' as never)
            .select(['state' as never])
            .where('id' as never, '=', jobId as never)
            .executeTakeFirst();
          return (job as { state?: string } | undefined)?.state === 'completed';
        },
        { message: `the ${queue} job to run` },
      );
      expect(await auditRowsOf(stack, queue, 'queue.run_now')).toHaveLength(1);
    }
  });

  it('checks every service and sums up the business', async () => {
    const checks = await admin.get<ServiceCheck[]>('operations.checks');
    expect(checks).toEqual([
      expect.objectContaining({
        name: 'database',
        ok: true,
        detail: expect.stringMatching(/^Postgres/),
      }),
      expect.objectContaining({ name: 'storage', ok: true }),
      expect.objectContaining({ name: 'stripe', ok: true, latencyMs: expect.any(Number) }),
      {
        name: 'replicate',
        ok: true,
        latencyMs: null,
        detail: expect.stringMatching(/^local restorer/),
      },
      { name: 'sendgrid', ok: true, latencyMs: null, detail: expect.stringMatching(/^outbox/) },
    ]);

    const summary = await admin.get<BusinessSummary>('business.summary', { days: 7 });
    expect(summary.perDay).toHaveLength(7);
    expect(summary.currency).toBe('usd');
    const today = summary.perDay.at(-1);
    expect(today?.day).toBe(new Date().toISOString().slice(0, 10));
    const paidToday = await stack.testDb.db
      .selectFrom('orders')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.sum<string>('amount_paid').as('revenue'),
      ])
      .where('paid_at', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(summary.totals).toEqual({
      orders: Number(paidToday.n),
      revenue: Number(paidToday.revenue),
      refunded: 1800, // the refunds of the first test
    });
    expect(summary.averageRestorationSeconds).toBeGreaterThan(0);
    expect(summary.costPerOrderCents).toBeGreaterThan(0);

    // In the admin's own time zone: the days are theirs, the money the same.
    const farEast = await admin.get<BusinessSummary>('business.summary', {
      days: 7,
      timeZone: 'Pacific/Kiritimati',
    });
    expect(farEast.perDay.at(-1)?.day).toBe(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date()),
    );
    expect(farEast.totals).toEqual(summary.totals);
  });
});

describe('admin retry of failed photos', () => {
  let replicate: LocalReplicate;
  let stack: FullStack;
  let admin: AdminClient & { user: { id: string; email: string } };

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await startFullStack({
      restoration: {
        provider: new ReplicateRestorationProvider({ client: replicate.client() }),
        close: async () => {},
      },
      replicateWebhookSecret: replicate.webhookSecret,
      webhooksToApi: true,
      workerEnv: { QUEUE_CONCURRENCY: 'restoration.run=1', MAX_RESTORATION_ATTEMPTS: '2' },
    });
    admin = await signedInClient(stack.apiUrl, stack.testDb.db, 'admin');
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  async function photo(orderId: string) {
    return stack.testDb.db
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
  }

  it('retries a photo that failed every attempt until it is restored, and the order completes', async () => {
    replicate.queueOutcome(
      { kind: 'fail', error: 'The model could not read the face.' },
      { times: 2 },
    );
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    expect((await photo(orderId)).status).toBe('failed');
    expect(await deadLettersOf(stack, orderId)).toBe(1);

    // The first retry fails again: the photo fails again and the order settles again.
    replicate.queueOutcome({ kind: 'fail', error: 'Still no face.' });
    expect(await admin.run('orders.retryRestoration', { id: orderId })).toEqual({ retried: 1 });
    expect(await deadLettersOf(stack, orderId)).toBe(0);
    await waitFor(async () => (await photo(orderId)).error === 'Still no face.', {
      message: 'the retried attempt to fail',
    });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');

    const image = await photo(orderId);
    expect(await admin.run('orders.retryRestoration', { id: orderId, imageId: image.id })).toEqual({
      retried: 1,
    });
    await stack.waitForOrderStatus(orderId, 'completed');
    expect(await photo(orderId)).toMatchObject({ status: 'restored', error: null });

    const detail = await admin.get<AdminOrderDetail>('orders.get', { id: orderId });
    expect(detail.images[0]?.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'succeeded'],
    ]);
    expect(detail.images[0]?.restoredUrl).toMatch(/^http/);
    expect(detail.actions.canRetryFailed).toBe(false);
    const audits = await auditRowsOf(stack, orderId, 'order.retry_restoration');
    expect(audits.map((row) => [row.before, row.after])).toEqual([
      [
        { status: 'completed_with_errors', failedPhotos: [image.id] },
        {
          status: 'processing',
          attempts: [expect.objectContaining({ imageId: image.id, attempt: 3 })],
        },
      ],
      [
        { status: 'completed_with_errors', failedPhotos: [image.id] },
        {
          status: 'processing',
          attempts: [expect.objectContaining({ imageId: image.id, attempt: 4 })],
        },
      ],
    ]);

    const nothingFailed = await admin.mutate('orders.retryRestoration', { id: orderId });
    expect(nothingFailed).toMatchObject({
      ok: false,
      error: {
        data: { code: 'CONFLICT' },
        message: 'Photos of an order that is completed cannot be restored again.',
      },
    });
  });

  it('retries the photos behind restoration dead letters from the operations page', async () => {
    replicate.queueOutcome({ kind: 'fail' }, { times: 2 });
    const orderId = await stack.payForOrder({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed_with_errors');
    expect(await deadLettersOf(stack, orderId)).toBe(1);

    expect(await admin.run('operations.retryDeadLetters', { queue: 'restoration.run' })).toEqual({
      retried: 1,
    });
    await stack.waitForOrderStatus(orderId, 'completed');
    expect(await deadLettersOf(stack, orderId)).toBe(0);
    expect((await photo(orderId)).status).toBe('restored');
  });
});
