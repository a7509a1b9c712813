/**
 * The success page: the customer is back from the processor with a checkout session id. We fulfil right away
 * (never waiting on the webhook) and hand back an access token for the order.
 */
import { z } from 'zod';
import type { Database, Kysely, OrderStatus } from '@restoreclick/db';
import { type FulfilmentDeps, fulfilOrder } from '../fulfilment/fulfil-order';
import { issueOrderAccessToken } from '../orders/order-access';

export const ZConfirmCheckoutInput = z.object({
  sessionId: z
    .string()
    .min(8)
    .max(255)
    .regex(/^cs_[A-Za-z0-9_]+$/, 'sessionId must be the checkout session id from the success URL'),
});

export interface ConfirmCheckoutResult {
  orderId: string;
  orderNumber: string;
  status: OrderStatus;
  /** True while an asynchronous payment (bank transfer) is still on its way. */
  paymentPending: boolean;
  accessToken: string;
}

export async function confirmCheckout(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  input: z.input<typeof ZConfirmCheckoutInput>,
): Promise<ConfirmCheckoutResult> {
  const { sessionId } = ZConfirmCheckoutInput.parse(input);
  const outcome = await fulfilOrder(db, deps, { checkoutSessionId: sessionId, actor: 'customer' });
  const accessToken = await issueOrderAccessToken(db, outcome.order.id, 'success_page');
  return {
    orderId: outcome.order.id,
    orderNumber: outcome.order.order_number,
    status: outcome.order.status,
    paymentPending: outcome.result === 'not_paid',
    accessToken,
  };
}
