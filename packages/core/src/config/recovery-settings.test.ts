import { describe, expect, it } from 'vitest';
import {
  automaticRefundPolicyFrom,
  recoverySettingsFrom,
  recoverySettingsSchema,
} from './recovery-settings';
import { parseSettings } from './settings';

const parse = (env: Record<string, string>) =>
  parseSettings(recoverySettingsSchema(), env, 'worker');

describe('recovery settings', () => {
  it('refund unrestorable photos after an hour and sweep orders idle for 15 minutes by default', () => {
    const env = parse({});
    expect(automaticRefundPolicyFrom(env)).toEqual({ enabled: true, graceSeconds: 3600 });
    expect(recoverySettingsFrom(env, { pollMaxIntervalSeconds: 60 })).toMatchObject({
      stuckOrderSeconds: 900,
      predictionExpectedSeconds: 300,
      pollMaxIntervalSeconds: 60,
    });
  });

  it('accept fractions of a minute and switching automatic refunds off', () => {
    const env = parse({
      AUTO_REFUND_FAILED_IMAGES: 'false',
      AUTO_REFUND_GRACE_MINUTES: '0.5',
      STUCK_ORDER_MINUTES: '2.5',
    });
    expect(automaticRefundPolicyFrom(env)).toEqual({ enabled: false, graceSeconds: 30 });
    expect(recoverySettingsFrom(env, { pollMaxIntervalSeconds: 60 }).stuckOrderSeconds).toBe(150);
  });

  it('explain a value that is not a boolean or is negative', () => {
    expect(() => parse({ AUTO_REFUND_FAILED_IMAGES: 'maybe' })).toThrow(
      /AUTO_REFUND_FAILED_IMAGES must be true or false/,
    );
    expect(() => parse({ STUCK_ORDER_MINUTES: '-1' })).toThrow(/STUCK_ORDER_MINUTES/);
  });
});
