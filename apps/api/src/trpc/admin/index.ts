/** The admin router: served on its own endpoint so the public SDK never carries admin procedures. */
import { router } from '../init';
import { healthProcedure } from '../storefront/health';

export const adminRouter = router({
  health: healthProcedure,
});

export type AdminRouter = typeof adminRouter;
