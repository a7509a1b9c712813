/** Cleaning of single-line values, subjects and free text before they reach an email. */
import { describe, expect, it } from 'vitest';
import { formatMoney } from './formatting';
import { safeHttpUrl } from './safe-url';
import {
  emailSubject,
  MAX_SUBJECT_LENGTH,
  multilineText,
  singleLine,
  truncate,
} from './text-cleaning';

describe('text cleaning', () => {
  it('turns line breaks, tabs and controls in a single-line value into single spaces', () => {
    expect(singleLine(' Ada\r\n\tLovelace\u0007\u0085 ')).toBe('Ada Lovelace');
  });

  it('caps a subject without splitting a character made of two code units', () => {
    const subject = emailSubject(`${'x'.repeat(MAX_SUBJECT_LENGTH - 2)}😀😀😀`);

    expect(Array.from(subject)).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(subject.endsWith('😀…')).toBe(true);
  });

  it('keeps line breaks in free text but drops other control characters', () => {
    expect(multilineText('a\r\nb\u0000c\n\n\n\nd\t!')).toBe('a\nbc\n\nd !');
  });

  it('leaves short text alone when truncating', () => {
    expect(truncate('short', 10)).toBe('short');
  });

  it('accepts only absolute http(s) URLs as links', () => {
    expect(safeHttpUrl('https://a.test/x?y=1')).toBe('https://a.test/x?y=1');
    expect(safeHttpUrl(' HTTP://A.test ')).toBe('http://a.test/');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHttpUrl('mailto:a@b.test')).toBeNull();
    expect(safeHttpUrl('//evil.test')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });

  it('formats minor units with the currency decimals', () => {
    expect(formatMoney(1999, 'usd')).toBe('$19.99');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
    expect(formatMoney(1234, 'kwd')).toMatch(/^KWD\s1\.234$/);
  });
});
