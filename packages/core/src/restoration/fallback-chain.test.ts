import { describe, expect, it } from 'vitest';
import { nextAttemptAfter, restorationChainFor, type RestorationProviders } from './fallback-chain';
import {
  DEFAULT_RESTORATION_MODELS,
  LOCAL_RESTORER_MODEL,
  ZRestorationModels,
} from './restoration-models';
import type { LocalRestorationProvider, RemoteRestorationProvider } from './restoration-provider';

const replicate = { kind: 'remote', name: 'replicate' } as RemoteRestorationProvider;
const local = { kind: 'local', name: 'local' } as LocalRestorationProvider;

const chainOf = (option: string, providers: RestorationProviders) =>
  restorationChainFor(DEFAULT_RESTORATION_MODELS, option, providers).map(
    (step) => `${step.provider.name}:${step.model}`,
  );

describe('restoration model chains', () => {
  it('tries the face model, then the general model, then the local restorer for premium photos', () => {
    expect(chainOf('premium', { provider: replicate, fallbackProviders: [local] })).toEqual([
      'replicate:sczhou/codeformer',
      'replicate:flux-kontext-apps/restore-image',
      `local:${LOCAL_RESTORER_MODEL}`,
    ]);
  });

  it('uses the default chain for an option without one', () => {
    expect(chainOf('standard', { provider: replicate, fallbackProviders: [local] })).toEqual([
      'replicate:flux-kontext-apps/restore-image',
      `local:${LOCAL_RESTORER_MODEL}`,
    ]);
  });

  it('leaves out steps whose provider this worker does not have', () => {
    expect(chainOf('standard', { provider: replicate })).toEqual([
      'replicate:flux-kontext-apps/restore-image',
    ]);
  });

  it('runs the local restorer once when it is the only provider', () => {
    expect(chainOf('premium', { provider: local })).toEqual(['local:sczhou/codeformer']);
  });

  it('reads one model or a list per option from config', () => {
    const models = ZRestorationModels.parse({
      default: { model: 'acme/general' },
      premium: [{ model: 'acme/faces' }, { provider: 'local' }],
    });
    expect(models.default).toHaveLength(1);
    expect(models.premium?.map((entry) => entry.model ?? entry.provider)).toEqual([
      'acme/faces',
      'local',
    ]);
  });

  it('rejects a Replicate step without a model and a config without a default', () => {
    expect(ZRestorationModels.safeParse({ default: [{ provider: 'replicate' }] }).success).toBe(
      false,
    );
    expect(ZRestorationModels.safeParse({ premium: { model: 'acme/faces' } }).success).toBe(false);
  });
});

describe('the attempt after a failed one', () => {
  const facts = { step: 0, chainLength: 3, attemptsAtStep: 1, maxAttemptsPerModel: 3 };

  it('retries a model that erred until its attempts are used, then moves to the next model', () => {
    expect(nextAttemptAfter({ ...facts, kind: 'model_error' })).toEqual({
      action: 'retry_same_model',
      step: 0,
    });
    expect(nextAttemptAfter({ ...facts, kind: 'model_error', attemptsAtStep: 3 })).toEqual({
      action: 'next_model',
      step: 1,
    });
  });

  it.each(['unusable_output', 'refused', 'timed_out'] as const)(
    'moves on to the next model at once after %s',
    (kind) => {
      expect(nextAttemptAfter({ ...facts, kind })).toEqual({ action: 'next_model', step: 1 });
    },
  );

  it('gives up after the last model used its attempts', () => {
    expect(nextAttemptAfter({ ...facts, step: 2, attemptsAtStep: 3, kind: 'model_error' })).toEqual(
      { action: 'give_up' },
    );
  });

  it('still retries the last model after an unusable output, but not after a refusal', () => {
    const last = { ...facts, step: 2, chainLength: 3 };
    expect(nextAttemptAfter({ ...last, kind: 'unusable_output' })).toEqual({
      action: 'retry_same_model',
      step: 2,
    });
    expect(nextAttemptAfter({ ...last, kind: 'refused' })).toEqual({ action: 'give_up' });
  });
});
