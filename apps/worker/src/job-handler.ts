/** The shape of one job handler, and the error that says "retrying will not help". */
import type { Logger } from 'pino';
import type { QueueJobData, QueueName } from '@restoreclick/core';

export interface JobContext {
  jobId: string;
  retryCount: number;
  logger: Logger;
  /** Aborted when the job expires or the worker is told to stop hard. */
  signal: AbortSignal;
}

export type JobHandler<Name extends QueueName> = (
  data: QueueJobData<Name>,
  context: JobContext,
) => Promise<object | void>;

export type JobHandlers = { [Name in QueueName]?: JobHandler<Name> };

/** Thrown for failures a retry cannot fix (bad payload, provider 4xx): the job goes to its dead-letter queue. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
