/** `stripe.event`: acts on one stored, verified Stripe event. Safe to run twice: the event row records its outcome. */
import { AppError, handleStripeEvent, PaymentProviderPermanentError } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import { type JobHandler, PermanentJobError } from '../job-handler';

export function stripeEventHandler(deps: WorkerDependencies): JobHandler<'stripe.event'> {
  return async ({ eventId }, context) => {
    try {
      const outcome = await handleStripeEvent(deps.db, deps.fulfilment, eventId);
      context.logger.info({ eventId, outcome }, 'stripe event handled');
      return { outcome };
    } catch (error) {
      // An event for an order we never made, or a request Stripe refuses: retrying cannot help.
      if (
        (error instanceof AppError && error.code === 'NOT_FOUND') ||
        error instanceof PaymentProviderPermanentError
      ) {
        throw new PermanentJobError(error.message, { cause: error });
      }
      throw error;
    }
  };
}
