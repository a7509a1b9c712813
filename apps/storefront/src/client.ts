/**
 * The shop talks to the API only through the published SDK, like any other storefront would: pages wrap its
 * calls in TanStack Query themselves rather than using tRPC's React integration, which the SDK does not expose.
 */
import { createClient } from '@restoreclick/sdk';

export const client = createClient({
  url: import.meta.env.VITE_API_URL ?? window.location.origin,
});
