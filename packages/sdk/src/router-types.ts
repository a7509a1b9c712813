/**
 * The storefront API's router type as clients see it: the server's procedure record with a context-free root,
 * so these types (and the published `.d.ts`) carry no server code.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type {
  BuiltRouter,
  DecorateCreateRouterOptions,
} from '@trpc/server/unstable-core-do-not-import';
import type { ApiErrorShape, StorefrontProcedures } from '@restoreclick/api/storefront-router';

export type StorefrontRouter = BuiltRouter<
  { ctx: object; meta: object; errorShape: ApiErrorShape; transformer: false },
  DecorateCreateRouterOptions<StorefrontProcedures>
>;

export type RouterInputs = inferRouterInputs<StorefrontRouter>;
export type RouterOutputs = inferRouterOutputs<StorefrontRouter>;
export type { ApiErrorData, ApiErrorShape } from '@restoreclick/api/storefront-router';

/** The API's readiness: overall and per dependency (database, object storage, migrations). */
export type HealthReport = RouterOutputs['health'];
