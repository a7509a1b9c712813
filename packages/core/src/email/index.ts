/** The email feature's public surface: rendering, the transport contract and its two implementations. */
export * from './email-transport';
export * from './render-email';
export * from './sendgrid-email-transport';
export * from './outbox-email-transport';
export type { OrderConfirmationEmailData } from './templates/order-confirmation';
export type {
  RestorationCompleteEmailData,
  RestoredPhotoOutcome,
} from './templates/restoration-complete';
export type { ShareEmailData } from './templates/share';
export type { ImagesRefundedEmailData, RefundedPhoto } from './templates/images-refunded';
export * from './send-email';
export * from './resend-email';
