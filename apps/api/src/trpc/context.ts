/** What every tRPC procedure receives: the request's id, its logger and the app's dependencies. */
import type { Logger } from 'pino';
import type { ApiDependencies } from '../dependencies';

export interface ApiContext {
  requestId: string;
  logger: Logger;
  deps: ApiDependencies;
}
