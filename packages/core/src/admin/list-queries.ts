/**
 * Pieces every admin list shares: keyset cursors over (created_at, id) that keep Postgres's microseconds, LIKE
 * patterns that match what was typed, and how a search tells an order number from a person.
 */
import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../errors/app-error';

export interface ListCursor {
  /** created_at as Postgres has it, to the microsecond (a JS Date would cut them and skip rows). */
  at: string;
  id: string;
}

const CURSOR_SHAPE =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string): ListCursor {
  const match = CURSOR_SHAPE.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) {
    throw new AppError(
      'INVALID_INPUT',
      'That page cursor was not made by this list; start again from the first page.',
      { field: 'cursor' },
    );
  }
  return { at: match[1], id: match[2] };
}

/** A timestamp column as Postgres has it, to the microsecond, in UTC (for cursors). */
export function isoMicroseconds(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Makes `%`, `_` and `\` in a search match themselves in LIKE. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Order numbers are `YYYYMMDD-000001`: a search of digits and dashes is one of them, anything else a person. */
export function isOrderNumberSearch(search: string): boolean {
  return /^[0-9][0-9-]*$/.test(search);
}

/** The conditions joined with `and` (true when there are none). */
export function allOf(conditions: RawBuilder<unknown>[]): RawBuilder<boolean> {
  return conditions.length ? sql<boolean>`${sql.join(conditions, sql` and `)}` : sql<boolean>`true`;
}
