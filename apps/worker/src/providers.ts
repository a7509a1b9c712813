/**
 * Picks each provider once, from config: Replicate when REPLICATE_API_TOKEN is set (with the local restorer
 * beside it, for fallback chains that end with it), else the local restorer alone; SendGrid when
 * SENDGRID_API_KEY is set, else the outbox. Nothing else in the worker knows which one runs.
 */
import Replicate from 'replicate';
import {
  type EmailTransport,
  OutboxEmailTransport,
  type LocalRestorationProvider,
  ReplicateRestorationProvider,
  RestorationPermanentError,
  type RestorationProvider,
  SendGridEmailTransport,
} from '@restoreclick/core';
import type { WorkerConfig } from './env';

export interface ChosenRestorationProvider {
  provider: RestorationProvider;
  /** Providers a product option's fallback chain may name besides the main one (by their `name`). */
  fallbackProviders?: RestorationProvider[];
  close(): Promise<void>;
}

type LocalRestorerConfig = Pick<WorkerConfig, 'LOCAL_RESTORER_CONCURRENCY'>;

async function startLocalRestorer(config: LocalRestorerConfig) {
  const { createLocalRestorer, UnreadableImageError } =
    await import('@restoreclick/local-restorer');
  const restorer = createLocalRestorer({ concurrency: config.LOCAL_RESTORER_CONCURRENCY });
  const restore: LocalRestorationProvider['restore'] = async ({ image }) => {
    try {
      return await restorer.restore(image);
    } catch (error) {
      // The photo itself cannot be read: another attempt on the same bytes fails the same way. A crashed
      // ESRGAN thread is not: it is thrown on, and pg-boss retries the attempt with a fresh thread.
      if (error instanceof UnreadableImageError) {
        throw new RestorationPermanentError(error.message, { cause: error });
      }
      throw error;
    }
  };
  return { restore, close: () => restorer.close() };
}

/**
 * The local restorer as a fallback: tfjs and the ESRGAN model load on its first photo, so a worker whose
 * Replicate models never all fail never pays for them.
 */
function lazyLocalRestorer(config: LocalRestorerConfig): ChosenRestorationProvider {
  let started: ReturnType<typeof startLocalRestorer> | undefined;
  const provider: LocalRestorationProvider = {
    kind: 'local',
    name: 'local',
    async restore(input) {
      started ??= startLocalRestorer(config);
      return (await started).restore(input);
    },
  };
  return {
    provider,
    close: async () => {
      if (started) await (await started).close();
    },
  };
}

/** Loads the local restorer (tfjs, ESRGAN) only when it is the one chosen or a chain falls back to it. */
export async function restorationProviderFromConfig(
  config: Pick<
    WorkerConfig,
    | 'REPLICATE_API_TOKEN'
    | 'REPLICATE_API_URL'
    | 'REPLICATE_COST_MICROS_PER_SECOND'
    | 'LOCAL_RESTORER_CONCURRENCY'
  >,
): Promise<ChosenRestorationProvider> {
  if (config.REPLICATE_API_TOKEN) {
    const client = new Replicate({
      auth: config.REPLICATE_API_TOKEN,
      ...(config.REPLICATE_API_URL ? { baseUrl: config.REPLICATE_API_URL } : {}),
    });
    const local = lazyLocalRestorer(config);
    return {
      provider: new ReplicateRestorationProvider({
        client,
        costMicrosPerSecond: config.REPLICATE_COST_MICROS_PER_SECOND,
      }),
      fallbackProviders: [local.provider],
      close: local.close,
    };
  }
  const local = await startLocalRestorer(config);
  const provider: LocalRestorationProvider = {
    kind: 'local',
    name: 'local',
    restore: local.restore,
  };
  return { provider, close: local.close };
}

export function emailTransportFromConfig(
  config: Pick<
    WorkerConfig,
    'SENDGRID_API_KEY' | 'SENDGRID_API_URL' | 'SENDGRID_ACTIVITY_LAG_SECONDS'
  >,
): EmailTransport {
  if (!config.SENDGRID_API_KEY) return new OutboxEmailTransport();
  return new SendGridEmailTransport({
    apiKey: config.SENDGRID_API_KEY,
    activityLagMs: config.SENDGRID_ACTIVITY_LAG_SECONDS * 1000,
    ...(config.SENDGRID_API_URL ? { baseUrl: config.SENDGRID_API_URL } : {}),
  });
}
