/**
 * The storefront API's router type as clients see it, and named input/output types for each step of the
 * customer journey. Everything here is a type: the published `.d.ts` inlines it and carries no server code.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type {
  BuiltRouter,
  DecorateCreateRouterOptions,
} from '@trpc/server/unstable-core-do-not-import';
import type {
  ApiErrorData,
  ApiErrorShape,
  StorefrontProcedures,
} from '@restoreclick/api/storefront-router';

export type StorefrontRouter = BuiltRouter<
  { ctx: object; meta: object; errorShape: ApiErrorShape; transformer: false },
  DecorateCreateRouterOptions<StorefrontProcedures>
>;

/** Inputs by procedure path, e.g. `RouterInputs['orders']['share']`. */
export type RouterInputs = inferRouterInputs<StorefrontRouter>;
/** Outputs by procedure path as they arrive over JSON (dates are ISO strings), e.g. `RouterOutputs['orders']['get']`. */
export type RouterOutputs = inferRouterOutputs<StorefrontRouter>;
export type { ApiErrorData, ApiErrorShape };

/** Our finer-grained error code (`NOT_FOUND`, `GONE`, `RATE_LIMITED`, …), in `error.data.appCode` and upload rejections. */
export type AppErrorCode = NonNullable<ApiErrorData['appCode']>;

/** The API's readiness: overall and per dependency (database, object storage, migrations). */
export type HealthReport = RouterOutputs['health'];

/** A new upload session: its id, when it expires, and the limits its photos must meet. */
export type UploadSession = RouterOutputs['uploads']['createSession'];
/** A photo stored in an upload session (from `uploads.list` or `uploadPhotos`). */
export type UploadedPhoto = RouterOutputs['uploads']['list'][number];

export type CreateCheckoutInput = RouterInputs['checkout']['create'];
/** The order is stored; send the customer to `checkoutUrl` and keep `accessToken` to read the order. */
export type CheckoutCreated = RouterOutputs['checkout']['create'];
/** The success page's answer: the order's status and an access token for it. */
export type CheckoutConfirmed = RouterOutputs['orders']['confirmCheckout'];

/** An order as its customer sees it: status, progress, photos with short-lived URLs, timeline. */
export type CustomerOrder = RouterOutputs['orders']['get'];
export type OrderStatus = CustomerOrder['status'];
export type OrderImage = CustomerOrder['images'][number];
export type OrderImageStatus = OrderImage['status'];
export type OrderTimelineEntry = CustomerOrder['timeline'][number];
export type WatchOrderInput = RouterInputs['orders']['watch'];
/** What `orders.watch` delivers to `onData`: the order's `version` as `id`, and the order itself. */
export type OrderUpdate =
  RouterOutputs['orders']['watch'] extends AsyncIterable<infer Update> ? Update : never;

export type ShareOrderInput = RouterInputs['orders']['share'];
export type OrderShared = RouterOutputs['orders']['share'];
/** The emails a customer may ask for again. */
export type ResendableEmail = RouterInputs['orders']['resendEmail']['kind'];

export type CreateDownloadInput = RouterInputs['downloads']['create'];
/** A ZIP link for the order's photos and the file name it downloads as. */
export type DownloadCreated = RouterOutputs['downloads']['create'];

export type NotificationList = RouterOutputs['notifications']['list'];
export type CustomerNotification = NotificationList['items'][number];
