/**
 * The name a customer's file had, kept for display only (storage keys never use it). A name that tries to be a
 * path or carries control characters is refused, with a message that says how to fix it.
 */
import { AppError } from '../errors/app-error';

export function validateFileName(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC').trim();
  if (name === '') return 'photo';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError(
      'INVALID_INPUT',
      'The file name contains control characters. Rename the file (letters, digits, spaces, - and _) and try again.',
      { field: 'filename' },
    );
  }
  if (/[/\\]/.test(name) || name === '.' || name === '..') {
    throw new AppError(
      'INVALID_INPUT',
      'The file name looks like a path (it contains / or \\). Upload the file itself, named without slashes.',
      { field: 'filename' },
    );
  }
  if (name.length > 255) {
    throw new AppError(
      'INVALID_INPUT',
      'The file name is longer than 255 characters. Shorten it and try again.',
      {
        field: 'filename',
      },
    );
  }
  return name;
}
