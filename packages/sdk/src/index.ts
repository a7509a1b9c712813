/**
 * `@restoreclick/sdk`: the typed client of the RestoreClick storefront API. Queries and mutations go over HTTP
 * (batched); subscriptions over Server-Sent Events.
 */
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
} from '@trpc/client';
import type { ApiErrorShape, StorefrontRouter } from './router-types';

export interface ClientOptions {
  /** Base URL of the RestoreClick API, e.g. `https://api.example.com` (the client calls `${url}/trpc`). */
  url: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every query and mutation (not sent with subscriptions, which use EventSource). */
  headers?:
    Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
}

export type RestoreClickClient = TRPCClient<StorefrontRouter>;

export function createClient(options: ClientOptions): RestoreClickClient {
  const endpoint = `${options.url.replace(/\/+$/, '')}/trpc`;
  return createTRPCClient<StorefrontRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({ url: endpoint }),
        false: httpBatchLink({
          url: endpoint,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
        }),
      }),
    ],
  });
}

/** The same function under a more specific name, for code that imports several clients. */
export const createRestoreClickClient = createClient;

export type RestoreClickError = TRPCClientError<StorefrontRouter>;

/** Narrows an unknown error to an API error, whose `data` carries `requestId`, `appCode` and field errors. */
export function isRestoreClickError(error: unknown): error is TRPCClientError<StorefrontRouter> {
  return error instanceof TRPCClientError;
}

export type {
  ApiErrorData,
  ApiErrorShape,
  HealthReport,
  RouterInputs,
  RouterOutputs,
  StorefrontRouter,
} from './router-types';
export type { ApiErrorShape as ErrorShape };
