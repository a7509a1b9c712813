/** The caller's address, for per-IP limits: the socket's peer, or X-Forwarded-For's first hop behind a trusted proxy. */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export function clientIpOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? 'unknown';
}
