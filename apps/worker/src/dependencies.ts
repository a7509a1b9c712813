/** What the job handlers need, built once in the composition root. */
import type {
  AutomaticRefundDeps,
  EmailDeps,
  FulfilmentDeps,
  PhotoPurgeDeps,
  RestorationDeps,
  SweepDeps,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';

export interface WorkerDependencies {
  db: Kysely<Database>;
  fulfilment: FulfilmentDeps;
  restoration: RestorationDeps;
  email: EmailDeps;
  refunds: AutomaticRefundDeps;
  sweeper: SweepDeps;
  /** The daily purge of files past their retention period. */
  photoPurge: PhotoPurgeDeps;
  reconcileLookbackHours: number;
  cleanupRetentionDays: number;
  /** Releases what the providers hold (the local restorer's threads). */
  close(): Promise<void>;
}
