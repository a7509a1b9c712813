/** The admin app's tRPC client, typed from the admin router, wired into TanStack Query. */
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AdminRouter } from '@restoreclick/api/admin-router';

export const { TRPCProvider, useTRPC } = createTRPCContext<AdminRouter>();

export function createAdminClient() {
  const base = import.meta.env.VITE_API_URL ?? '';
  return createTRPCClient<AdminRouter>({
    links: [
      httpBatchLink({
        url: `${base}/admin/trpc`,
        // The api accepts at least 10 calls a batch (TRPC_MAX_BATCH_SIZE ≥ 10).
        maxItems: 10,
        fetch: (url, init) => fetch(url, { ...init, credentials: 'include' }),
      }),
    ],
  });
}
