import { describe, expect, it } from 'vitest';
import { attemptPath, chainStepLabel, shortModelName } from './restoration-chain';

const replicate = (model: string, chainStep: number) => ({
  provider: 'replicate',
  model,
  chainStep,
});
const local = (chainStep: number) => ({
  provider: 'local',
  model: 'restoreclick/local-restorer',
  chainStep,
});

describe('the fallback chain of a photo, in words', () => {
  it('names each attempt by its place in the chain', () => {
    expect(chainStepLabel(replicate('sczhou/codeformer', 0))).toBe('1st choice');
    expect(chainStepLabel(replicate('flux-kontext-apps/restore-image', 1))).toBe('fallback 1');
    expect(chainStepLabel(local(2))).toBe('local restorer');
  });

  it('calls a model by its name, without owner or version', () => {
    expect(shortModelName(replicate('sczhou/codeformer:7de2ea26c616', 0))).toBe('codeformer');
    expect(shortModelName(replicate('flux-kontext-apps/restore-image', 1))).toBe('restore-image');
    expect(shortModelName(local(0))).toBe('local restorer');
    expect(shortModelName({ provider: 'replicate', model: null })).toBe('replicate');
  });

  it('shows the way from a failed model to the fallback that restored the photo', () => {
    expect(
      attemptPath([
        { ...replicate('sczhou/codeformer', 0), status: 'failed' },
        { ...replicate('sczhou/codeformer', 0), status: 'failed' },
        { ...replicate('flux-kontext-apps/restore-image', 1), status: 'failed' },
        { ...local(2), status: 'succeeded' },
      ]),
    ).toBe('codeformer failed ×2 → restore-image failed → local restorer restored');
  });

  it('shows a retry of the same model after a failure as two steps', () => {
    expect(
      attemptPath([
        { ...replicate('acme/restorer', 0), status: 'failed' },
        { ...replicate('acme/restorer', 0), status: 'running' },
      ]),
    ).toBe('restorer failed → restorer restoring');
  });
});
