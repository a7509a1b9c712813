/**
 * What an erasure replaces: the tombstone a customer's personal fields become, and the fields of recorded
 * event data that can name a person (file names, addresses, a share's recipient and message).
 */

/** Keys of recorded event data that hold personal data, wherever they appear. */
export const PERSONAL_DATA_KEYS: ReadonlySet<string> = new Set([
  'filename',
  'to',
  'email',
  'name',
  'customerEmail',
  'customerName',
  'senderName',
  'senderEmail',
  'billingAddress',
  'message',
  'shareMessage',
  'viewUrl',
]);

export const ERASED_NAME = 'Erased customer';

/** A unique address that can never receive mail (`.invalid` is reserved, RFC 2606). */
export function erasedEmailFor(customerId: string): string {
  return `erased-${customerId}@erased.invalid`;
}

/** A photo's name after erasure: its position and its type, nothing chosen by the customer. */
export function erasedFilename(position: number, originalFilename: string): string {
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(originalFilename)?.[1]?.toLowerCase();
  return `photo-${position}${extension ? `.${extension}` : ''}`;
}

/** `value` without any personal key, at any depth; returns the same object when there was none. */
export function withoutPersonalData<T>(value: T): T {
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => withoutPersonalData(item));
    return (items.every((item, index) => item === value[index]) ? value : items) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  let changed = false;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (PERSONAL_DATA_KEYS.has(key)) {
      changed = true;
      continue;
    }
    const cleaned = withoutPersonalData(field);
    if (cleaned !== field) changed = true;
    kept[key] = cleaned;
  }
  return (changed ? kept : value) as T;
}
