/** What every tRPC procedure receives: the request's id, its logger and the app's dependencies. */
import type { Logger } from 'pino';
import type { ApiDependencies } from '../dependencies';

export interface ApiContext {
  requestId: string;
  /** For per-IP limits (see client-ip.ts). */
  clientIp: string;
  logger: Logger;
  deps: ApiDependencies;
}
