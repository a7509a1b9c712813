/** The shop talks to the API only through the published SDK, like any other storefront would. */
import { createClient } from '@restoreclick/sdk';

export const client = createClient({
  url: import.meta.env.VITE_API_URL ?? window.location.origin,
});
