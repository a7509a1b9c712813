/** How the dashboard writes money, dates, durations and sizes. */

function moneyFormat(currency: string) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
}

/** Digits after the decimal point in `currency` (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Integer minor units of `currency` → "$9.00". */
export function formatMoney(minorUnits: number, currency: string): string {
  return moneyFormat(currency).format(minorUnits / 10 ** currencyDigits(currency));
}

/**
 * "12.5" typed by a person, in major units of `currency` → 1250 minor units; null when it is not an amount
 * with at most the currency's number of decimals.
 */
export function parseMajorAmount(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(/,/g, '');
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units → the plain number a person would type ("12.50"). */
export function toMajorAmount(minorUnits: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minorUnits / 10 ** digits).toFixed(digits);
}

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

const relativeTime = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['minute', 60_000],
  ['hour', 3_600_000],
  ['day', 86_400_000],
];

/**
 * How far `iso` is from `now`, in the largest unit that keeps it at least 1: "in 10 hours", "5 minutes ago",
 * "tomorrow"; under a minute, "just now" or "in under a minute". Rounded, so 89 minutes reads "in 1 hour" —
 * the absolute time goes beside it.
 */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const difference = new Date(iso).getTime() - now;
  let chosen: [Intl.RelativeTimeFormatUnit, number] | undefined;
  for (const unit of RELATIVE_UNITS) {
    if (Math.abs(difference) >= unit[1]) chosen = unit;
  }
  if (!chosen) return difference > 0 ? 'in under a minute' : 'just now';
  const [unit, size] = chosen;
  return relativeTime.format(Math.round(difference / size), unit);
}

/** "YYYY-MM-DD" (a calendar day, no time zone) → "Mar 4". */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return shortDate.format(new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1));
}

/** A duration for people: "850 ms", "12.3 s", "4 min 10 s", "2 h 5 min". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)} %`;
}

/** Costs are US cents, often fractions of one: 0.42 → "$0.0042", 1250 → "$12.50". */
export function formatCents(cents: number): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: cents < 100 ? 4 : 2,
  }).format(cents / 100);
}
