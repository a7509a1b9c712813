/**
 * The whole system for the storefront's browser tests (see `@restoreclick/devkit/browser-testing`): the
 * orchestrator's api, worker, Postgres, S3 and local Stripe, and the storefront built and served by `vite preview`.
 */
import {
  startSystem as startWholeSystem,
  type RunningSystem as WholeSystem,
} from '@restoreclick/devkit/browser-testing';

export interface RunningSystem extends WholeSystem {
  storefrontUrl: string;
}

export async function startSystem(): Promise<RunningSystem> {
  const system = await startWholeSystem({
    frontEnds: [{ app: 'storefront', readyPath: '/trpc/health' }],
  });
  const storefrontUrl = system.frontEndUrls.storefront;
  if (!storefrontUrl) throw new Error('The storefront was not served.');
  return { ...system, storefrontUrl };
}
