export * from './queue-registry';
export {
  ensureQueues,
  parsePayload,
  PgBossJobQueue,
  type EnqueueOptions,
  type JobQueue,
} from './job-queue';
export * from './queue-metrics';
