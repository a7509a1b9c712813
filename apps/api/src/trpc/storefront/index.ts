/**
 * The storefront router: everything a shop front needs, and nothing an admin does. The SDK's types come from
 * `StorefrontProcedures`, a plain record whose procedure types carry no server context, so the published
 * `.d.ts` needs no server code.
 */
import type { ApiErrorData, ApiErrorShape } from '../error-shape';
import { router } from '../init';
import { confirmCheckoutProcedure, createCheckoutProcedure } from './checkout';
import { healthProcedure } from './health';
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
  orders: { confirmCheckout: confirmCheckoutProcedure },
};

export const storefrontRouter = router(storefrontProcedures);

export type StorefrontProcedures = typeof storefrontProcedures;
export type StorefrontRouter = typeof storefrontRouter;
export type { ApiErrorData, ApiErrorShape };
