/** The local Stripe server, driven through the real `stripe` client and verified with its webhook code. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for';
import { type LocalStripe, startLocalStripe } from './local-stripe';

const SECRET = 'whsec_test_local';

interface Received {
  event: Stripe.Event;
}

describe('local Stripe server', () => {
  let local: LocalStripe;
  let stripe: Stripe;
  let receiver: Server;
  let received: Received[] = [];
  let failuresToSend = 0;

  beforeAll(async () => {
    const verifier = new Stripe('sk_test_unused');
    receiver = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const type = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string }).type;
      if (failuresToSend > 0 && type === 'checkout.session.completed') {
        failuresToSend -= 1;
        response.writeHead(500).end();
        return;
      }
      const event = verifier.webhooks.constructEvent(
        Buffer.concat(chunks),
        String(request.headers['stripe-signature']),
        SECRET,
      );
      received.push({ event });
      response.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    local = await startLocalStripe({
      webhookSecret: SECRET,
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`,
      retrySchedule: [50, 100, 200],
      asyncPaymentDelayMs: 60_000,
    });
    stripe = local.client();
  });
  afterEach(async () => {
    await local.deliveriesIdle();
    received = [];
    failuresToSend = 0;
    local.reset();
  });
  afterAll(async () => {
    await local?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  function createSession(idempotencyKey = `checkout:${Math.random()}`, unitAmount = 900) {
    return stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: 'order-1',
        metadata: { order_id: 'order-1', v: '1' },
        customer_email: 'ada@example.com',
        allow_promotion_codes: true,
        billing_address_collection: 'required',
        line_items: [
          {
            quantity: 3,
            price_data: {
              currency: 'usd',
              unit_amount: unitAmount,
              product_data: { name: 'Standard restoration' },
            },
          },
        ],
        success_url: 'http://shop.test/success?session_id={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://shop.test/cart',
      },
      { idempotencyKey },
    );
  }

  const types = () => received.map((entry) => entry.event.type);

  it('creates, retrieves and lists checkout sessions, and replays an idempotent create', async () => {
    const session = await createSession('checkout:order-1');
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2700,
      currency: 'usd',
      metadata: { order_id: 'order-1', v: '1' },
      client_reference_id: 'order-1',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${local.url}/checkout/${session.id}`);

    const again = await createSession('checkout:order-1');
    expect(again.id).toBe(session.id);
    await expect(createSession('checkout:order-1', 1000)).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
    });

    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
    const listed = [];
    for await (const item of stripe.checkout.sessions.list({
      created: { gte: session.created - 1 },
      limit: 1,
    })) {
      listed.push(item.id);
    }
    expect(listed).toEqual([session.id]);
    await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });

  it('pays through the hosted page, redirects to the success URL and sends a signed completed event', async () => {
    const session = await createSession();
    const page = await fetch(`${local.url}/checkout/${session.id}`);
    expect(await page.text()).toContain('Pay $27.00');

    const submitted = await fetch(`${local.url}/checkout/${session.id}/outcome`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'pay', email: 'ada@example.com', name: 'Ada' }),
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(
      `http://shop.test/success?session_id=${session.id}`,
    );

    await waitFor(() => types().includes('checkout.session.completed'), {
      message: 'the completed event',
    });
    const completed = received.find(
      (entry) => entry.event.type === 'checkout.session.completed',
    )?.event;
    const object = completed?.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({
      id: session.id,
      payment_status: 'paid',
      status: 'complete',
      amount_total: 2700,
    });

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    const intent = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(2700);
    expect(retrieved.customer_details?.email).toBe('ada@example.com');
  });

  it('keeps a declined card on the page with no completion', async () => {
    const session = await createSession();
    const declined = await fetch(`${local.url}/checkout/${session.id}/outcome`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'decline', email: 'ada@example.com' }),
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('settles asynchronous payments later, in order, and expires sessions', async () => {
    const succeeds = await createSession();
    const fails = await createSession();
    const expires = await createSession();
    local.completeCheckout(succeeds.id, 'async_success');
    local.completeCheckout(fails.id, 'async_failure');
    expect((await stripe.checkout.sessions.retrieve(succeeds.id)).payment_status).toBe('unpaid');
    local.settleAsyncPayment(succeeds.id);
    local.settleAsyncPayment(fails.id);
    await stripe.checkout.sessions.expire(expires.id);

    await waitFor(() => received.length >= 3 && types().includes('checkout.session.expired'), {
      message: 'the async and expiry events',
    });
    const checkoutTypes = local
      .events()
      .map((event) => String(event.type))
      .filter((type) => type.startsWith('checkout.'));
    expect(checkoutTypes).toEqual([
      'checkout.session.completed',
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
      'checkout.session.async_payment_failed',
      'checkout.session.expired',
    ]);
    expect((await stripe.checkout.sessions.retrieve(succeeds.id)).payment_status).toBe('paid');
  });

  it('refunds in part and in full with idempotency keys, and refuses to refund more than was paid', async () => {
    const session = await createSession();
    const paid = local.completeCheckout(session.id, 'pay');
    const intentId = paid.payment_intent;
    if (typeof intentId !== 'string') throw new Error('a paid session has a payment intent id');

    const partial = await stripe.refunds.create(
      { payment_intent: intentId, amount: 900 },
      { idempotencyKey: 'refund:image-1' },
    );
    const replay = await stripe.refunds.create(
      { payment_intent: intentId, amount: 900 },
      { idempotencyKey: 'refund:image-1' },
    );
    expect(replay.id).toBe(partial.id);
    await expect(
      stripe.refunds.create(
        { payment_intent: intentId, amount: 5000 },
        { idempotencyKey: 'refund:too-much' },
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'amount_too_large' });
    await stripe.refunds.create({ payment_intent: intentId }, { idempotencyKey: 'refund:rest' });

    await waitFor(() => types().filter((type) => type === 'charge.refunded').length === 2, {
      message: 'two charge.refunded events',
    });
    const refunded = received
      .filter((entry) => entry.event.type === 'charge.refunded')
      .map((entry) => (entry.event.data.object as Stripe.Charge).amount_refunded);
    expect(refunded).toEqual([900, 2700]);
  });

  it('retries a failed delivery with backoff, and can send one event 50 times at once', async () => {
    failuresToSend = 2;
    const session = await createSession();
    local.completeCheckout(session.id, 'pay');
    await waitFor(() => types().includes('checkout.session.completed'), {
      message: 'the retried delivery',
    });
    const completedId = received.find((entry) => entry.event.type === 'checkout.session.completed')
      ?.event.id;
    const attempts = local.deliveries().filter((attempt) => attempt.eventId === completedId);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);

    await local.redeliver(String(completedId), { times: 50 });
    expect(received.filter((entry) => entry.event.id === completedId)).toHaveLength(51);
  });
});
