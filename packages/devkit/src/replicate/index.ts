/** The local Replicate-compatible server: what tests and the dev stack import. */
export {
  startLocalReplicate,
  type LocalReplicate,
  type LocalReplicateLogger,
  type LocalReplicateOptions,
} from './local-replicate';
export type { LocalReplicateControls, WaitForSettledOptions } from './controls';
export {
  connectLocalReplicateControls,
  LocalReplicateControlError,
  type RemoteLocalReplicateControls,
} from './control-client';
export type { LocalReplicateOutcome } from './outcomes';
export type { DeliveryAttempt as ReplicateDeliveryAttempt } from './delivery';
export type {
  PredictionObject as ReplicatePredictionObject,
  PredictionStatus as ReplicatePredictionStatus,
} from './store';
export {
  signWebhook as signReplicateWebhook,
  newWebhookSecret as newReplicateWebhookSecret,
} from './signing';
