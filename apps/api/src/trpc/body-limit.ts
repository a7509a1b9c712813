/**
 * The size limit of a tRPC call's body (TRPC_MAX_BODY_BYTES): a bigger one is refused with a 413 in the shape
 * every procedure error has, before it is held in memory, whether its size is declared (Content-Length) or
 * streamed (chunked). Hono's `bodyLimit` does the same but leaves the rest of a streamed body unread, which
 * breaks the client's kept-alive connection for its next request; here the rest is read and dropped, up to a
 * bound past which the connection is given up.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { describeBytes } from '@restoreclick/core';
import type { AppEnv } from '../app';
import type { ApiErrorShape } from './error-shape';

/** How much of a refused streamed body is read and dropped, in multiples of the limit. */
const DRAIN_FACTOR = 8;

function tooLarge(c: Context<AppEnv>, maxBytes: number): Response {
  const error: ApiErrorShape = {
    message: `The request body is larger than the ${describeBytes(maxBytes)} a call may send.`,
    code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
    data: {
      code: 'PAYLOAD_TOO_LARGE',
      httpStatus: 413,
      requestId: c.get('requestId'),
      appCode: 'PAYLOAD_TOO_LARGE',
      details: { limitBytes: maxBytes },
      fieldErrors: null,
    },
  };
  return c.json({ error }, 413);
}

export function trpcBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) {
      // Refused unread; the server drains what the client still sends once the answer is out.
      return tooLarge(c, maxBytes);
    }
    // Read here, whatever the procedure makes of it: an answer given before the body was read (a query
    // POSTed, say) would leave the rest of it in the way of the connection's next request.
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        chunks.length = 0;
        while (size <= maxBytes * DRAIN_FACTOR) {
          const rest = await reader.read();
          if (rest.done) return tooLarge(c, maxBytes);
          size += rest.value.length;
        }
        await reader.cancel();
        c.header('connection', 'close');
        return tooLarge(c, maxBytes);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    return next();
  };
}
