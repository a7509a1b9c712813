import { describe, expect, it } from 'vitest';
import { addDays, dayIn, isTimeZone, startOfDayIn } from './time-zones';

describe('days in a time zone', () => {
  it('knows IANA names and refuses anything else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone("UTC'; drop table orders; --")).toBe(false);
  });

  it('puts a moment on the day it is where the admin is', () => {
    const lateEvening = new Date('2026-11-02T03:30:00Z'); // 22:30 on 1 November in New York
    expect(dayIn('America/New_York', lateEvening)).toBe('2026-11-01');
    expect(dayIn('UTC', lateEvening)).toBe('2026-11-02');
    expect(dayIn('Asia/Kolkata', new Date('2026-11-01T18:40:00Z'))).toBe('2026-11-02');
  });

  it('finds when a day begins, across clock changes and half-hour offsets', () => {
    expect(startOfDayIn('2026-11-10', 'UTC').toISOString()).toBe('2026-11-10T00:00:00.000Z');
    expect(startOfDayIn('2026-11-10', 'America/New_York').toISOString()).toBe(
      '2026-11-10T05:00:00.000Z',
    );
    expect(startOfDayIn('2026-07-10', 'America/New_York').toISOString()).toBe(
      '2026-07-10T04:00:00.000Z',
    );
    // The day clocks go back (1 November 2026 in New York): midnight is still on summer time.
    expect(startOfDayIn('2026-11-01', 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    expect(startOfDayIn('2026-11-10', 'Asia/Kolkata').toISOString()).toBe(
      '2026-11-09T18:30:00.000Z',
    );
    // Where midnight itself is skipped (Santiago, 6 September 2026, 00:00 → 01:00), the day begins at 01:00.
    expect(startOfDayIn('2026-09-06', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('counts calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
