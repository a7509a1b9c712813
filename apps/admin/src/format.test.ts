import { describe, expect, it } from 'vitest';
import {
  formatCents,
  formatMoney,
  formatRelativeTime,
  parseMajorAmount,
  toMajorAmount,
} from './format';

describe('amounts typed by an admin', () => {
  it('become minor units of the currency', () => {
    expect(parseMajorAmount('12.5', 'usd')).toBe(1250);
    expect(parseMajorAmount('12.50', 'USD')).toBe(1250);
    expect(parseMajorAmount(' 4 ', 'usd')).toBe(400);
    expect(parseMajorAmount('0.07', 'eur')).toBe(7);
    expect(parseMajorAmount('1,250.99', 'usd')).toBe(125099);
    expect(parseMajorAmount('1500', 'jpy')).toBe(1500);
  });

  it('are refused when they are not an amount of that currency', () => {
    expect(parseMajorAmount('', 'usd')).toBeNull();
    expect(parseMajorAmount('12.345', 'usd')).toBeNull();
    expect(parseMajorAmount('-3', 'usd')).toBeNull();
    expect(parseMajorAmount('ten', 'usd')).toBeNull();
    expect(parseMajorAmount('1e3', 'usd')).toBeNull();
    expect(parseMajorAmount('12.5', 'jpy')).toBeNull();
  });

  it('round-trip with what the dashboard suggests', () => {
    for (const minor of [0, 7, 400, 1250, 125099]) {
      expect(parseMajorAmount(toMajorAmount(minor, 'usd'), 'usd')).toBe(minor);
    }
  });
});

describe('money and costs for people', () => {
  it('writes minor units in the currency', () => {
    expect(formatMoney(1800, 'usd')).toBe('$18.00');
    expect(formatMoney(1500, 'jpy')).toBe('¥1,500');
  });

  it('keeps fractions of a cent visible for per-order costs', () => {
    expect(formatCents(0.42)).toBe('$0.0042');
    expect(formatCents(1250)).toBe('$12.50');
  });
});

describe('times relative to now', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

  it('reads in the largest unit that keeps the number at least 1', () => {
    expect(formatRelativeTime(at(10 * 3_600_000), now)).toBe('in 10 hours');
    expect(formatRelativeTime(at(-5 * 60_000), now)).toBe('5 minutes ago');
    expect(formatRelativeTime(at(3 * 86_400_000), now)).toBe('in 3 days');
  });

  it('says "just now", "tomorrow" and "yesterday" rather than counting seconds or hours', () => {
    expect(formatRelativeTime(at(0), now)).toBe('just now');
    expect(formatRelativeTime(at(-45_000), now)).toBe('just now');
    expect(formatRelativeTime(at(45_000), now)).toBe('in under a minute');
    expect(formatRelativeTime(at(86_400_000), now)).toBe('tomorrow');
    expect(formatRelativeTime(at(-86_400_000), now)).toBe('yesterday');
  });
});
