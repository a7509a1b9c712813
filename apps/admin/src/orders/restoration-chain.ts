/**
 * A photo's attempts along its product option's fallback chain of models, in words: which step each attempt ran
 * ("1st choice", "fallback 1", "local restorer") and the way the photo went ("codeformer failed → restore-image
 * restored"), so an operator sees at a glance that a fallback model did the work, or that every model failed.
 */
import type { RestorationAttempt } from '../api-types';

type AttemptFacts = Pick<RestorationAttempt, 'provider' | 'model' | 'chainStep' | 'status'>;

/** The worker's own restorer; it runs one pipeline whatever model it is asked for. */
const LOCAL_PROVIDER = 'local';

const OUTCOME_WORDS: Record<RestorationAttempt['status'], string> = {
  queued: 'queued',
  running: 'restoring',
  succeeded: 'restored',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** "1st choice" for the option's first model, "fallback N" for the Nth model after it. */
export function chainStepLabel(attempt: Pick<AttemptFacts, 'provider' | 'chainStep'>): string {
  if (attempt.provider === LOCAL_PROVIDER) return 'local restorer';
  return attempt.chainStep === 0 ? '1st choice' : `fallback ${attempt.chainStep}`;
}

/** "sczhou/codeformer:7de2ea26" → "codeformer": the part people call the model by. */
export function shortModelName(attempt: Pick<AttemptFacts, 'provider' | 'model'>): string {
  if (attempt.provider === LOCAL_PROVIDER) return 'local restorer';
  if (!attempt.model) return attempt.provider;
  const name = attempt.model.split('/').pop() ?? attempt.model;
  return name.split(':')[0] || attempt.model;
}

/**
 * The attempts, oldest first, as one line: "codeformer failed ×2 → restore-image restored". Consecutive attempts
 * of the same model with the same outcome are counted rather than repeated.
 */
export function attemptPath(attempts: readonly AttemptFacts[]): string {
  const steps: Array<{ model: string; outcome: string; times: number }> = [];
  for (const attempt of attempts) {
    const model = shortModelName(attempt);
    const outcome = OUTCOME_WORDS[attempt.status];
    const last = steps.at(-1);
    if (last && last.model === model && last.outcome === outcome) last.times += 1;
    else steps.push({ model, outcome, times: 1 });
  }
  return steps
    .map((step) => `${step.model} ${step.outcome}${step.times > 1 ? ` ×${step.times}` : ''}`)
    .join(' → ');
}
