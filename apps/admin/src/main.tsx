/** The dashboard's entry point: TanStack Query over the admin tRPC client, react-router for pages. */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { errorCode } from './error-message';
import { router } from './routes';
import './styles.css';
import { createAdminClient, TRPCProvider } from './trpc';

/** A session that ended (expired, signed out elsewhere): ask `auth.me` again, which sends the user to sign in. */
function onApiError(error: unknown) {
  if (errorCode(error) === 'UNAUTHORIZED') {
    void queryClient.invalidateQueries({ queryKey: [['auth', 'me']] });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // Refusals (not found, forbidden, bad input) will not change on a second try; only network errors might.
      retry: (failureCount, error) => errorCode(error) === null && failureCount < 2,
    },
  },
});
const trpcClient = createAdminClient();

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
