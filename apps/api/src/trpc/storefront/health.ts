import { publicProcedure } from '../init';

/** The API's readiness as a client sees it: overall status and each dependency. */
export const healthProcedure = publicProcedure.query(({ ctx }) => ctx.deps.checkReadiness());
