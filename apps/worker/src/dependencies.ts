/** What the job handlers need, built once in the composition root. */
import type { FulfilmentDeps } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';

export interface WorkerDependencies {
  db: Kysely<Database>;
  fulfilment: FulfilmentDeps;
  reconcileLookbackHours: number;
}
