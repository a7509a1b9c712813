/**
 * The test controls of a local Replicate server in another process, over its `/_local/…` routes. Same names
 * and arguments as the in-process `LocalReplicateControls`, every call async.
 */
import type { LocalReplicateControls } from './controls';
import { controlCaller } from '../http/control-call';

export type RemoteLocalReplicateControls = {
  [Name in keyof LocalReplicateControls]: (
    ...args: Parameters<LocalReplicateControls[Name]>
  ) => Promise<Awaited<ReturnType<LocalReplicateControls[Name]>>>;
};

export class LocalReplicateControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LocalReplicateControlError';
  }
}

/** `baseUrl` is the server's `url` (for example `http://127.0.0.1:12112`). */
export function connectLocalReplicateControls(baseUrl: string): RemoteLocalReplicateControls {
  const call = controlCaller(baseUrl, {
    messageOf: (parsed) => (parsed as { detail?: string } | undefined)?.detail,
    error: (status, message) => new LocalReplicateControlError(status, message),
  });
  const prediction = (id: string) => `/predictions/${encodeURIComponent(id)}`;

  return {
    queueOutcome: async (outcome, options) => {
      await call('POST', '/outcomes/queue', { outcome, ...options });
    },
    setModelOutcome: async (model, outcome) => {
      await call('PUT', '/outcomes/model', { model, outcome: outcome ?? null });
    },
    predictions: () => call('GET', '/predictions'),
    waitForSettled: (predictionId, options) =>
      call(
        'GET',
        `${prediction(predictionId)}/settled${options?.timeoutMs ? `?timeoutMs=${options.timeoutMs}` : ''}`,
      ),
    expireOutput: async (predictionId) => {
      await call('POST', `${prediction(predictionId)}/expire-output`, {});
    },
    deliveries: () => call('GET', '/deliveries'),
    deliveriesIdle: async () => {
      await call('GET', '/deliveries/idle');
    },
    reset: async () => {
      await call('POST', '/reset', {});
    },
  };
}
