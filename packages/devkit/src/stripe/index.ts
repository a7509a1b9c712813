export { startLocalStripe, type LocalStripe, type LocalStripeOptions } from './local-stripe';
export type { LocalStripeControls, RedeliverOptions, ReleaseOptions } from './controls';
export {
  connectLocalStripeControls,
  LocalStripeControlError,
  type RemoteLocalStripeControls,
} from './control-client';
export type { CheckoutDetails, CheckoutOutcome } from './checkout-sessions';
export type { DeliveryAttempt, DeliveryTrigger } from './delivery';
export type { LocalStripeLogger } from './logger';
export type { CheckoutSessionObject, EventObject } from './objects';
export { signPayload } from './signing';
export { parseFormBody, type FormObject, type FormValue } from './form-body';
