/** `orders.sweep-stuck` (every minute): drives again the paid orders, predictions and refunds nothing moves. */
import { sweepStuckOrders } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function ordersSweepStuckHandler(
  deps: WorkerDependencies,
): JobHandler<'orders.sweep-stuck'> {
  return async (_data, context) => {
    const result = await sweepStuckOrders(deps.db, deps.sweeper);
    const summary = {
      orders: result.orders.length,
      alerts: result.orders.filter((order) => order.alerted).length,
      repolledPredictions: result.repolledPredictions,
      redrivenRefunds: result.redrivenRefunds,
    };
    if (summary.orders || summary.repolledPredictions || summary.redrivenRefunds) {
      context.logger.warn({ ...summary, swept: result.orders }, 'stuck work driven again');
    } else {
      context.logger.debug(summary, 'nothing stuck');
    }
    return summary;
  };
}
