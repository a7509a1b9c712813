/** Checkout: the order is stored first, then the customer is sent to the payment processor's page. */
import {
  confirmCheckout,
  createCheckout,
  ZConfirmCheckoutInput,
  ZCreateCheckoutInput,
} from '@restoreclick/core';
import { publicProcedure } from '../init';

export interface CheckoutCreated {
  orderId: string;
  orderNumber: string;
  /** Send the customer here to pay. */
  checkoutUrl: string;
  accessToken: string;
  totalAmount: number;
  currency: string;
}

export const createCheckoutProcedure = publicProcedure
  .input(ZCreateCheckoutInput)
  .mutation(({ ctx, input }): Promise<CheckoutCreated> =>
    createCheckout(ctx.deps.db, ctx.deps.checkout, input),
  );

export interface CheckoutConfirmed {
  orderId: string;
  orderNumber: string;
  status: string;
  /** True while a bank transfer or similar is still on its way; the order becomes paid when it lands. */
  paymentPending: boolean;
  accessToken: string;
}

/** The success page: fulfils at once (never waiting for the webhook) and returns an access token. */
export const confirmCheckoutProcedure = publicProcedure
  .input(ZConfirmCheckoutInput)
  .mutation(({ ctx, input }): Promise<CheckoutConfirmed> =>
    confirmCheckout(ctx.deps.db, ctx.deps.fulfilment, input),
  );
