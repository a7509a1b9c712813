/**
 * The `payments.reconcile` cron: a safety net for webhooks that never arrived. Lists recent checkout sessions
 * from the processor and fulfils any paid one whose order is still waiting.
 */
import type { Database, Kysely } from '@restoreclick/db';
import { type FulfilmentDeps, fulfilOrder } from '../fulfilment/fulfil-order';

export interface ReconcileResult {
  checked: number;
  fulfilled: string[];
  failed: Array<{ checkoutSessionId: string; error: string }>;
}

export async function reconcilePayments(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  options: { lookbackHours: number; now?: Date },
): Promise<ReconcileResult> {
  const now = options.now ?? new Date();
  const createdAfter = new Date(now.getTime() - options.lookbackHours * 60 * 60 * 1000);
  const result: ReconcileResult = { checked: 0, fulfilled: [], failed: [] };

  for await (const session of deps.payments.listCheckoutSessions({ createdAfter })) {
    result.checked += 1;
    if (session.paymentStatus === 'unpaid' || !session.orderId) continue;
    const order = await db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', '=', session.orderId)
      .executeTakeFirst();
    if (!order || (order.status !== 'pending_payment' && order.status !== 'payment_failed'))
      continue;
    try {
      const outcome = await fulfilOrder(db, deps, {
        checkoutSessionId: session.id,
        actor: 'reconciliation',
        session,
      });
      if (outcome.result === 'fulfilled') result.fulfilled.push(outcome.order.id);
    } catch (error) {
      // One broken order must not stop the others; the next run tries it again.
      result.failed.push({
        checkoutSessionId: session.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}
