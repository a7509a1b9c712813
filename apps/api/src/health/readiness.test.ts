import { describe, expect, it } from 'vitest';
import { type ReadinessReport, shareReadinessCheck } from './readiness';

const report = (ok: boolean): ReadinessReport => ({
  ok,
  checks: {
    db: { ok, latencyMs: 1 },
    s3: { ok: true, latencyMs: 1 },
    migrations: { ok: true, latencyMs: 1 },
  },
});

/** A check that counts its runs and finishes when the test says so. */
function controlledCheck(results: boolean[]) {
  let runs = 0;
  const finishers: Array<() => void> = [];
  const check = () => {
    const ok = results[Math.min(runs, results.length - 1)] ?? true;
    runs += 1;
    return new Promise<ReadinessReport>((resolve) => finishers.push(() => resolve(report(ok))));
  };
  return {
    check,
    runs: () => runs,
    finishAll: () => finishers.splice(0).forEach((finish) => finish()),
  };
}

describe('shareReadinessCheck', () => {
  it('makes the requests that arrive during a check wait for it instead of probing again', async () => {
    const probe = controlledCheck([true]);
    const shared = shareReadinessCheck(probe.check, { cacheMs: 0 });
    const answers = Promise.all(Array.from({ length: 50 }, () => shared()));
    probe.finishAll();
    const reports = await answers;
    expect(probe.runs()).toBe(1);
    expect(reports.every((answer) => answer.ok)).toBe(true);
  });

  it('answers from a healthy report until it is cacheMs old, then checks again', async () => {
    let clock = 0;
    const probe = controlledCheck([true]);
    const shared = shareReadinessCheck(probe.check, { cacheMs: 1000, now: () => clock });
    const first = shared();
    probe.finishAll();
    await first;
    clock = 999;
    expect((await shared()).ok).toBe(true);
    expect(probe.runs()).toBe(1);
    clock = 1000;
    const next = shared();
    probe.finishAll();
    await next;
    expect(probe.runs()).toBe(2);
  });

  it('checks again on the next request after a failing report, so recovery shows at once', async () => {
    const clock = 0;
    const probe = controlledCheck([false, true]);
    const shared = shareReadinessCheck(probe.check, { cacheMs: 60_000, now: () => clock });
    const down = shared();
    probe.finishAll();
    expect((await down).ok).toBe(false);
    const up = shared();
    probe.finishAll();
    expect((await up).ok).toBe(true);
    expect(probe.runs()).toBe(2);
  });
});
