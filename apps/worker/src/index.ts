/** The worker's public surface: the loop and its handlers, for the api's tests and the bench. */
export { createWorker, type Worker, type WorkerOptions } from './worker';
export {
  PermanentJobError,
  type JobContext,
  type JobHandler,
  type JobHandlers,
} from './job-handler';
export { createHandlers } from './handlers/index';
export { handleSystemPing } from './handlers/system-ping';
export { composeWorkerDependencies, type WorkerComposeConfig } from './compose';
export type { WorkerDependencies } from './dependencies';
export { loadWorkerConfig, type WorkerConfig } from './env';
export {
  emailTransportFromConfig,
  restorationProviderFromConfig,
  type ChosenRestorationProvider,
} from './providers';
