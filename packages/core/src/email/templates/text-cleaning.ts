/**
 * Cleans values before they reach a message: single-line values (names, subjects) lose control and bidi
 * characters so nothing can add a header line or reorder the text; free text keeps only its line breaks.
 */

/** C0/C1 controls (including CR, LF, tab), Unicode line/paragraph separators and bidi overrides/isolates. */
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/** The longest subject we produce; mail clients show far less, and providers reject very long ones. */
export const MAX_SUBJECT_LENGTH = 150;

/** Cuts to at most `maxLength` characters (whole code points), ending with an ellipsis when cut. */
export function truncate(value: string, maxLength: number): string {
  const characters = Array.from(value);
  if (characters.length <= maxLength) return value;
  return `${characters
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd()}…`;
}

/** One line of text: controls become spaces, runs of whitespace collapse, ends are trimmed. */
export function singleLine(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/** A name to address someone by, or null when there is nothing printable. */
export function displayName(value: string | null | undefined, maxLength = 80): string | null {
  if (value == null) return null;
  const cleaned = truncate(singleLine(value), maxLength);
  return cleaned === '' ? null : cleaned;
}

/** Free text that keeps its line breaks (normalized to `\n`) but no other control characters. */
export function multilineText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(UNSAFE_CHARACTERS, (character) => {
      if (character === '\n' || character === '\u2028' || character === '\u2029') return '\n';
      return character === '\t' ? ' ' : '';
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A subject line: one line, no control characters, at most `MAX_SUBJECT_LENGTH` characters. */
export function emailSubject(value: string): string {
  return truncate(singleLine(value), MAX_SUBJECT_LENGTH);
}
