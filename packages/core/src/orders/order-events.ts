/** The admins' timeline: one `order_events` row for every state change, written in the change's transaction. */
import type { Database, Kysely, OrderStatus } from '@restoreclick/db';

export type Actor =
  'system' | 'customer' | 'stripe' | 'worker' | 'reconciliation' | `admin:${string}`;

export interface OrderEventInput {
  orderId: string;
  type: string;
  actor: Actor;
  fromStatus?: OrderStatus | null;
  toStatus?: OrderStatus | null;
  data?: Record<string, unknown>;
}

export async function recordOrderEvent(
  db: Kysely<Database>,
  event: OrderEventInput,
): Promise<void> {
  await db
    .insertInto('order_events')
    .values({
      order_id: event.orderId,
      type: event.type,
      actor: event.actor,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      data: JSON.stringify(event.data ?? {}),
    })
    .execute();
}
