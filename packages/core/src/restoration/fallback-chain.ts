/**
 * The fallback chain of a product option, as this worker can run it, and what follows a failed attempt: the
 * same model again, the next model of the chain, or nothing (the photo fails). Pure, so the rules are tested
 * without a provider.
 */
import {
  LOCAL_RESTORER_MODEL,
  type RestorationModel,
  type RestorationModels,
  restorationChainConfigFor,
} from './restoration-models';
import type { RestorationProvider } from './restoration-provider';

export interface RestorationStep {
  provider: RestorationProvider;
  model: string;
  imageInputKey: string;
  extraInput: Record<string, unknown>;
}

/** The providers a worker has: its main one, and the others its chains may name (the local restorer). */
export interface RestorationProviders {
  provider: RestorationProvider;
  fallbackProviders?: readonly RestorationProvider[];
}

export function providerNamed(
  providers: RestorationProviders,
  name: string,
): RestorationProvider | undefined {
  if (providers.provider.name === name) return providers.provider;
  return providers.fallbackProviders?.find((provider) => provider.name === name);
}

function stepOf(provider: RestorationProvider, entry: RestorationModel): RestorationStep {
  return {
    provider,
    model: entry.model ?? LOCAL_RESTORER_MODEL,
    imageInputKey: entry.imageInputKey,
    extraInput: entry.extraInput,
  };
}

/**
 * The chain of `option` for these providers. A step naming a provider this worker does not have (Replicate
 * without a token) is left out; a second step on the local restorer is too, since it runs one pipeline
 * whatever the model. A chain left empty runs its first entry on the main provider.
 */
export function restorationChainFor(
  models: RestorationModels,
  option: string,
  providers: RestorationProviders,
): RestorationStep[] {
  const entries = restorationChainConfigFor(models, option);
  const steps: RestorationStep[] = [];
  for (const entry of entries) {
    const provider = entry.provider ? providerNamed(providers, entry.provider) : providers.provider;
    if (!provider) continue;
    if (provider.kind === 'local' && steps.some((step) => step.provider.kind === 'local')) continue;
    steps.push(stepOf(provider, entry));
  }
  const first = entries[0];
  if (steps.length === 0 && first) steps.push(stepOf(providers.provider, first));
  return steps;
}

/**
 * Why an attempt failed, as far as choosing the next one goes:
 * - `model_error`: the prediction failed or its output could not be fetched; the same model may succeed;
 * - `unusable_output`: the output was rejected (unchanged photo, not an image, wrong size);
 * - `refused`: the provider refused the request itself (4xx) or cannot read the photo;
 * - `timed_out`: the prediction ran past the hard limit and was cancelled.
 */
export type AttemptFailureKind = 'model_error' | 'unusable_output' | 'refused' | 'timed_out';

export type NextAttempt =
  | { action: 'retry_same_model'; step: number }
  | { action: 'next_model'; step: number }
  | { action: 'give_up' };

export interface FailedAttemptFacts {
  kind: AttemptFailureKind;
  /** The failed attempt's step in the chain. */
  step: number;
  chainLength: number;
  /** Attempts made at this step so far, the failed one included. */
  attemptsAtStep: number;
  /** `MAX_RESTORATION_ATTEMPTS`: attempts per model. */
  maxAttemptsPerModel: number;
}

/**
 * A model that errs is retried up to its limit before the next one is tried; one that refused the photo, gave
 * an unusable output or hung gives way to the next model at once, since asking it again rarely helps. The
 * last model of a chain is still retried for anything but a refusal: there is nothing else left to try.
 */
export function nextAttemptAfter(facts: FailedAttemptFacts): NextAttempt {
  const hasNextModel = facts.step + 1 < facts.chainLength;
  const mayRetry = facts.attemptsAtStep < facts.maxAttemptsPerModel;
  const retry: NextAttempt = { action: 'retry_same_model', step: facts.step };
  const next: NextAttempt = { action: 'next_model', step: facts.step + 1 };
  const giveUp: NextAttempt = { action: 'give_up' };
  switch (facts.kind) {
    case 'refused':
      return hasNextModel ? next : giveUp;
    case 'unusable_output':
    case 'timed_out':
      return hasNextModel ? next : mayRetry ? retry : giveUp;
    case 'model_error':
      return mayRetry ? retry : hasNextModel ? next : giveUp;
  }
}
