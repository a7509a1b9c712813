/**
 * The storefront router: everything a shop front needs, and nothing an admin does. The SDK's types come from
 * `StorefrontProcedures`, a plain record whose procedure types carry no server context, so the published
 * `.d.ts` needs no server code.
 */
import type { ApiErrorData, ApiErrorShape } from '../error-shape';
import { router } from '../init';
import { confirmCheckoutProcedure, createCheckoutProcedure } from './checkout';
import { createDownloadProcedure } from './downloads';
import { healthProcedure } from './health';
import { listNotificationsProcedure, markNotificationsReadProcedure } from './notifications';
import {
  deletePhotosProcedure,
  getOrderProcedure,
  resendEmailProcedure,
  shareOrderProcedure,
  watchOrderProcedure,
} from './orders';
import {
  createUploadSessionProcedure,
  listUploadsProcedure,
  removeUploadProcedure,
} from './uploads';

export const storefrontProcedures = {
  health: healthProcedure,
  uploads: {
    createSession: createUploadSessionProcedure,
    list: listUploadsProcedure,
    remove: removeUploadProcedure,
  },
  checkout: { create: createCheckoutProcedure },
  orders: {
    confirmCheckout: confirmCheckoutProcedure,
    get: getOrderProcedure,
    watch: watchOrderProcedure,
    share: shareOrderProcedure,
    resendEmail: resendEmailProcedure,
    deletePhotos: deletePhotosProcedure,
  },
  downloads: { create: createDownloadProcedure },
  notifications: { list: listNotificationsProcedure, markRead: markNotificationsReadProcedure },
};

export const storefrontRouter = router(storefrontProcedures);

export type StorefrontProcedures = typeof storefrontProcedures;
export type StorefrontRouter = typeof storefrontRouter;
export type { ApiErrorData, ApiErrorShape };
