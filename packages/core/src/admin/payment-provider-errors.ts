/**
 * Admin actions that reach the payment processor answer its failures as errors a person can act on: a refusal
 * (4xx) is a CONFLICT carrying the processor's reason, an outage or timeout is UNAVAILABLE (try again).
 */
import { AppError } from '../errors/app-error';
import {
  PaymentProviderPermanentError,
  PaymentProviderRetryableError,
} from '../payments/payment-provider';

export async function withPaymentProviderErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PaymentProviderPermanentError) {
      throw new AppError('CONFLICT', error.message, undefined, { cause: error });
    }
    if (error instanceof PaymentProviderRetryableError) {
      throw new AppError(
        'UNAVAILABLE',
        `${error.message}. Nothing was changed; try again in a moment.`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
}
