import { describe, expect, it } from 'vitest';
import { validateFileName } from './file-name';

describe('upload file names', () => {
  it('keeps an ordinary name, accents included', () => {
    expect(validateFileName(' Grand-mère 1952.jpg ')).toBe('Grand-mère 1952.jpg');
  });

  it('refuses path traversal and control characters with a fix the person can apply', () => {
    expect(() => validateFileName('../../etc/passwd.jpg')).toThrow(/looks like a path/);
    expect(() => validateFileName('..\\boot.ini')).toThrow(/looks like a path/);
    expect(() => validateFileName('photo\u0000.jpg')).toThrow(/control characters/);
    expect(() => validateFileName('photo\r\nX-Evil: 1.jpg')).toThrow(/control characters/);
  });

  it('names a nameless file "photo"', () => {
    expect(validateFileName(undefined)).toBe('photo');
  });
});
