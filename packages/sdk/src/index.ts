/**
 * `@restoreclick/sdk`: the typed client of the RestoreClick storefront API, a photo upload helper, and named
 * types for every step of the customer journey. Browser-safe: the JavaScript imports only `@trpc/client`.
 */
export {
  createClient,
  createRestoreClickClient,
  type ClientOptions,
  type EventSourceConstructor,
  type RequestHeaders,
  type RestoreClickClient,
} from './client';
export { isRestoreClickError, isUploadError, type RestoreClickError, UploadError } from './errors';
export {
  type RejectedPhoto,
  uploadPhotos,
  type UploadPhotosOptions,
  type UploadPhotosResult,
} from './upload-photos';
export type {
  ApiErrorData,
  ApiErrorShape,
  ApiErrorShape as ErrorShape,
  AppErrorCode,
  CheckoutConfirmed,
  CheckoutCreated,
  CreateCheckoutInput,
  CreateDownloadInput,
  CustomerNotification,
  CustomerOrder,
  DownloadCreated,
  HealthReport,
  NotificationList,
  OrderImage,
  OrderImageStatus,
  OrderShared,
  OrderStatus,
  OrderTimelineEntry,
  OrderUpdate,
  ResendableEmail,
  RouterInputs,
  RouterOutputs,
  ShareOrderInput,
  StorefrontRouter,
  UploadedPhoto,
  UploadSession,
  WatchOrderInput,
} from './router-types';
