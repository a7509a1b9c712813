/**
 * Guarded status changes: `update … where id = $1 and status = any($from)`. Zero rows means another actor
 * changed the order first; the caller decides what that means instead of overwriting it.
 */
import type { Database, Kysely, Order, OrderStatus, OrderUpdate } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { recordOrderEvent, type Actor } from './order-events';
import { canTransition } from './order-status';

export interface TransitionInput {
  orderId: string;
  from: readonly OrderStatus[];
  to: OrderStatus;
  actor: Actor;
  eventType: string;
  data?: Record<string, unknown>;
  /** Other columns to set in the same update (amounts, ids, timestamps). */
  set?: Omit<OrderUpdate, 'status'>;
}

/**
 * Moves the order from one of `from` to `to` and records the event, in the caller's transaction. Returns the
 * updated order, or undefined when the order was not in any of `from` (someone else won, or it moved on).
 */
export async function transitionOrder(
  db: Kysely<Database>,
  input: TransitionInput,
): Promise<Order | undefined> {
  const allowedFrom = input.from.filter((from) => canTransition(from, input.to));
  if (allowedFrom.length === 0) {
    throw new AppError(
      'INTERNAL',
      `No allowed transition to ${input.to} from ${input.from.join(', ')}`,
    );
  }
  const previous = await db
    .selectFrom('orders')
    .select('status')
    .where('id', '=', input.orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!previous || !allowedFrom.includes(previous.status)) return undefined;

  const updated = await db
    .updateTable('orders')
    .set({ ...input.set, status: input.to })
    .where('id', '=', input.orderId)
    .where('status', '=', previous.status)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;

  await recordOrderEvent(db, {
    orderId: input.orderId,
    type: input.eventType,
    actor: input.actor,
    fromStatus: previous.status,
    toStatus: input.to,
    data: input.data,
  });
  return updated;
}
