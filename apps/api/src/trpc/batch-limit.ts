/**
 * The size limit of a tRPC batch (TRPC_MAX_BATCH_SIZE): a request naming more procedures than that is refused
 * with a 400 in the shape every procedure error has, before any of them runs. Without it one request could
 * ask for thousands of calls. Our clients batch at most `CLIENT_MAX_BATCH_CALLS`, which the setting cannot go
 * below.
 */
import type { MiddlewareHandler } from 'hono';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { AppEnv } from '../app';
import type { ApiErrorShape } from './error-shape';

/** How many calls the SDK and the admin app put in one batch: the least TRPC_MAX_BATCH_SIZE may be. */
export const CLIENT_MAX_BATCH_CALLS = 10;

export function trpcBatchLimit(endpoint: string, maxCalls: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.query('batch') !== '1') return next();
    const calls = c.req.path.slice(endpoint.length + 1).split(',').length;
    if (calls <= maxCalls) return next();
    const error: ApiErrorShape = {
      message: `A batch may hold at most ${maxCalls} calls and this one has ${calls}: send them in smaller batches.`,
      code: TRPC_ERROR_CODES_BY_KEY.BAD_REQUEST,
      data: {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        requestId: c.get('requestId'),
        appCode: 'INVALID_INPUT',
        details: { limit: maxCalls, calls },
        fieldErrors: null,
      },
    };
    return c.json({ error }, 400);
  };
}
