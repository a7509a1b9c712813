/** Input pieces the admin procedures share. */
import { z } from 'zod';
import { isTimeZone, startOfDayIn } from '@restoreclick/core';

export const ZId = (what: string) =>
  z.uuid(`${what} must be an id like 4f1c…-…, as the lists give it`);

/**
 * A day (`2026-11-01`: its midnight in the input's `timeZone`, see `atDayStart`) or a moment with its offset
 * (`2026-11-01T08:00:00Z`).
 */
export const ZDateBoundary = (name: string) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: `${name} must be a date like 2026-11-01 or a time like 2026-11-01T08:00:00Z`,
  });

/** The admin's IANA time zone (the browser's), for calendar days; UTC when not given. */
export const ZTimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'timeZone must be a time zone like Europe/Paris or UTC')
  .default('UTC');

/** A `ZDateBoundary` value as a moment: a day begins at its midnight in `timeZone`. */
export function atDayStart(value: string, timeZone: string): Date {
  return value.length === 10 ? startOfDayIn(value, timeZone) : new Date(value);
}

export const ZCursor = z
  .string()
  .max(200, 'cursor is too long: use nextCursor as it came')
  .nullish();

export const ZPageLimit = z
  .number()
  .int()
  .min(1, 'limit must be at least 1')
  .max(100, 'limit must be at most 100')
  .default(25);
