/**
 * Live order updates: one Postgres connection per api process LISTENs on `restoreclick_order_changes` (sent by
 * a trigger in the same transaction as every timeline event and photo change) and wakes the subscriptions of
 * that order. It connects on the first subscriber and reconnects after a lost connection, waking everyone so
 * nothing that happened meanwhile is missed.
 */
import pg from 'pg';
import type { Logger } from 'pino';

const CHANNEL = 'restoreclick_order_changes';
const RECONNECT_DELAY_MS = 1_000;

export interface OrderChanges {
  /** Calls `onChange` after each change of the order (and after a reconnect); returns the unsubscribe. */
  subscribe(orderId: string, onChange: () => void): Promise<() => void>;
  close(): Promise<void>;
}

export function createOrderChangeListener(input: {
  connectionString: string;
  logger: Logger;
}): OrderChanges {
  const subscribers = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  const wakeAll = () => {
    for (const callbacks of subscribers.values()) for (const callback of callbacks) callback();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: input.connectionString,
      application_name: 'restoreclick-api-listen',
    });
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      for (const callback of subscribers.get(message.payload) ?? []) callback();
    });
    next.on('error', (error) => {
      input.logger.warn({ err: error }, 'order change listener lost its connection');
      client = undefined;
      void next.end().catch(() => {});
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`listen ${CHANNEL}`);
    client = next;
  }

  function ensureConnected(): Promise<void> {
    if (client || closed) return Promise.resolve();
    connecting ??= connect().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  function scheduleReconnect() {
    if (closed || subscribers.size === 0) return;
    setTimeout(() => {
      ensureConnected().then(wakeAll, () => scheduleReconnect());
    }, RECONNECT_DELAY_MS).unref();
  }

  return {
    async subscribe(orderId, onChange) {
      await ensureConnected();
      const callbacks = subscribers.get(orderId) ?? new Set();
      callbacks.add(onChange);
      subscribers.set(orderId, callbacks);
      return () => {
        callbacks.delete(onChange);
        if (callbacks.size === 0) subscribers.delete(orderId);
      };
    },
    async close() {
      closed = true;
      subscribers.clear();
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
