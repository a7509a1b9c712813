export * from './payment-provider';
export {
  StripePaymentProvider,
  toCheckoutSessionInfo,
  WEBHOOK_TOLERANCE_SECONDS,
} from './stripe-payment-provider';
export { recordStripeEvent } from './record-stripe-event';
export { handleStripeEvent, type StripeEventOutcome } from './handle-stripe-event';
export { reconcilePayments, type ReconcileResult } from './reconcile-payments';
export * from './automatic-refund-policy';
export * from './photo-refund-amounts';
export { scheduleAutomaticRefunds } from './schedule-automatic-refunds';
export * from './issue-automatic-refunds';
export * from './automatic-refunds';
export * from './automatic-refund-overrides';
