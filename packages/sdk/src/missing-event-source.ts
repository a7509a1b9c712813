/**
 * What subscriptions use when the runtime has no EventSource (Node 20) and none was passed: it answers at once
 * with a tRPC error event, so `onError` receives a RestoreClick error whose message says what to do.
 */
import type { EventSourceLike } from '@trpc/server/unstable-core-do-not-import';
import type { ApiErrorShape } from './router-types';

export const MISSING_EVENT_SOURCE_MESSAGE =
  'Subscriptions need an EventSource and this runtime has none (Node 20 does not). ' +
  "Pass one to createClient: `import { EventSource } from 'eventsource'; createClient({ url, EventSource })`.";

// An error event rather than a throwing constructor: tRPC reports a failure to connect with an empty message,
// while an error event reaches `onError` with its message and data intact.
const shape: ApiErrorShape = {
  message: MISSING_EVENT_SOURCE_MESSAGE,
  code: -32012,
  data: {
    code: 'PRECONDITION_FAILED',
    httpStatus: 0,
    requestId: null,
    appCode: null,
    details: null,
    fieldErrors: null,
  },
};

class MissingEventSource implements EventSourceLike.Instance {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 2;

  addEventListener(type: string, listener: (event: EventSourceLike.Event) => void): void {
    if (type !== 'serialized-error') return;
    const event: EventSourceLike.MessageEvent = { data: JSON.stringify(shape) };
    queueMicrotask(() => listener(event));
  }
  removeEventListener(): void {}
  close(): void {}
}

/** The global EventSource, looked up when a subscription starts (a polyfill installed later still counts). */
export const globalEventSource = function globalEventSource(url: string, init?: EventSourceInit) {
  const Native = (globalThis as { EventSource?: typeof EventSource }).EventSource;
  return typeof Native === 'function' ? new Native(url, init) : new MissingEventSource();
} as unknown as EventSourceLike.AnyConstructor;
