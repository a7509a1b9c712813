/**
 * The typed storefront client: queries and mutations go over batched HTTP, subscriptions over Server-Sent
 * Events (the browser's `EventSource`, or a ponyfill passed in where there is none, as in Node).
 */
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import type { EventSourceLike } from '@trpc/server/unstable-core-do-not-import';
import { globalEventSource } from './missing-event-source';
import type { StorefrontRouter } from './router-types';

/** Any constructor shaped like the browser's `EventSource`, e.g. `EventSource` from the `eventsource` package. */
export type EventSourceConstructor = EventSourceLike.AnyConstructor;

export type RequestHeaders =
  Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface ClientOptions {
  /** Base URL of the RestoreClick API, e.g. `https://api.example.com` (the client calls `${url}/trpc`). */
  url: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every query, mutation and upload (not sent with subscriptions, which use EventSource). */
  headers?: RequestHeaders;
  /**
   * The EventSource used by subscriptions (`orders.watch`). Browsers have one and need nothing here; Node 20
   * has none, so pass a ponyfill: `import { EventSource } from 'eventsource'`.
   */
  EventSource?: EventSourceConstructor;
}

export type RestoreClickClient = TRPCClient<StorefrontRouter>;

/** The options each client was made with, so helpers such as `uploadPhotos` can take the client itself. */
const optionsByClient = new WeakMap<object, ClientOptions>();

/** Calls sent in one batched request at most: the api accepts at least this many (TRPC_MAX_BATCH_SIZE ≥ 10). */
export const MAX_BATCH_CALLS = 10;

export function apiBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createClient(options: ClientOptions): RestoreClickClient {
  const endpoint = `${apiBaseUrl(options.url)}/trpc`;
  const client = createTRPCClient<StorefrontRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({
          url: endpoint,
          EventSource: options.EventSource ?? globalEventSource,
        }),
        false: httpBatchLink({
          url: endpoint,
          maxItems: MAX_BATCH_CALLS,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
        }),
      }),
    ],
  });
  optionsByClient.set(client, options);
  return client;
}

/** The same function under a more specific name, for code that imports several clients. */
export const createRestoreClickClient = createClient;

/** The options a client from `createClient` was made with; undefined for anything else. */
export function optionsOfClient(client: object): ClientOptions | undefined {
  return optionsByClient.get(client);
}
