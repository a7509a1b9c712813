/** Restoration: provider contracts, the Replicate provider and its webhook, and the services. */
export * from './restoration-provider';
export {
  ReplicateRestorationProvider,
  type ReplicateRestorationProviderOptions,
} from './replicate-restoration-provider';
export {
  REPLICATE_WEBHOOK_TOLERANCE_SECONDS,
  verifyReplicateWebhook,
  type ReplicateWebhookHeaders,
  type VerifiedReplicateWebhook,
  type VerifyReplicateWebhookInput,
} from './replicate-webhook';
export { parseReplicatePrediction } from './replicate-prediction';
export * from './restoration-models';
export * from './fallback-chain';
export * from './restoration-deps';
export * from './validate-restored-output';
export * from './settle-restoration';
export * from './run-restoration';
export * from './record-restoration-webhook';
export * from './thumbnails';
