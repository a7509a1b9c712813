/** How amounts, dates and counts read in our emails (English, amounts from integer minor units). */

/** `1999, 'usd'` → `$19.99`; `500, 'jpy'` → `¥500` (the currency's own number of decimals). */
export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
  });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** decimals);
}

const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/** `June 5, 2026 at 2:00 PM UTC`: we do not know the reader's time zone, so we say which one we use. */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('Cannot format an invalid date in an email');
  return DATE_TIME.format(date);
}

/** `1 photo`, `3 photos`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
