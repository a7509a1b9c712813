/** What every tRPC procedure receives: the request's id, its logger, the app's dependencies and the caller. */
import type { Logger } from 'pino';
import type { AdminUserView } from '@restoreclick/core';
import type { ApiDependencies } from '../dependencies';

export interface ApiContext {
  requestId: string;
  /** For per-IP limits (see client-ip.ts). */
  clientIp: string;
  logger: Logger;
  deps: ApiDependencies;
  /** The request's `Origin` header (mutations of the admin endpoint must come from an allowed one). */
  origin: string | null;
  userAgent: string | null;
  /** The admin session cookie's token, as sent; only read on the admin endpoint. */
  adminSessionToken: string | null;
  /** The signed-in admin user; always null on the storefront endpoint. */
  adminUser: (AdminUserView & { sessionId: string }) | null;
  /** Headers of the HTTP response: procedures set and clear cookies here. */
  resHeaders: Headers;
}
