/**
 * Calendar days in the admin's own time zone: an order placed at 23:30 in New York is on that day's line of
 * the business page and in that day's filter, not on the next UTC day's. Plain `Intl`, no time zone library.
 */

/** Whether `name` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`, …). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time in `timeZone` at `at`, read as if it were UTC: its difference to `at` is the offset. */
function wallClockAsUtc(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** `YYYY-MM-DD`: the calendar day in `timeZone` at `at`. */
export function dayIn(timeZone: string, at: Date): string {
  return new Date(wallClockAsUtc(at, timeZone)).toISOString().slice(0, 10);
}

/** The day `count` days after (or before) `day`, both `YYYY-MM-DD`. */
export function addDays(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/**
 * The moment `day` begins in `timeZone`. On a day whose midnight a clock change skips, the first moment that
 * exists on it.
 */
export function startOfDayIn(day: string, timeZone: string): Date {
  const midnightAsUtc = Date.parse(`${day}T00:00:00Z`);
  // Two rounds: the offset at a first guess, then at the moment it gives (they differ across a clock change).
  let at = midnightAsUtc - (wallClockAsUtc(new Date(midnightAsUtc), timeZone) - midnightAsUtc);
  at = midnightAsUtc - (wallClockAsUtc(new Date(at), timeZone) - at);
  // A skipped midnight lands on the previous day's evening: step forward to the day itself.
  while (dayIn(timeZone, new Date(at)) < day) at += 60 * 60 * 1000;
  return new Date(at);
}
