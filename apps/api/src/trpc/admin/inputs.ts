/** Input pieces the admin procedures share. */
import { z } from 'zod';

export const ZId = (what: string) =>
  z.uuid(`${what} must be an id like 4f1c…-…, as the lists give it`);

/** A day (`2026-11-01`, midnight UTC) or a moment with its offset (`2026-11-01T08:00:00Z`). */
export const ZDateBoundary = (name: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: `${name} must be a date like 2026-11-01 or a time like 2026-11-01T08:00:00Z`,
    })
    .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

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
