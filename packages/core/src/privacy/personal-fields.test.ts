/** The erasure's tombstones and the scrubbing of recorded event data. */
import { describe, expect, it } from 'vitest';
import { erasedEmailFor, erasedFilename, withoutPersonalData } from './personal-fields';

describe('personal data in recorded events', () => {
  it('drops names, addresses and messages at any depth and keeps the rest', () => {
    const data = {
      imageId: 'img-1',
      filename: 'Rose Smith 1952.jpg',
      to: 'friend@example.com',
      images: [{ imageId: 'img-2', filename: 'John.jpg' }],
      amount: 900,
      nested: { customerEmail: 'ada@example.com', kind: 'share' },
    };
    expect(withoutPersonalData(data)).toEqual({
      imageId: 'img-1',
      images: [{ imageId: 'img-2' }],
      amount: 900,
      nested: { kind: 'share' },
    });
  });

  it('returns the very same object when nothing personal is in it', () => {
    const data = { photos: 2, imageIds: ['a', 'b'], nested: { kind: 'order_confirmation' } };
    expect(withoutPersonalData(data)).toBe(data);
  });
});

describe('tombstones', () => {
  it('gives every erased customer an address of their own that cannot receive mail', () => {
    expect(erasedEmailFor('c0ffee')).toBe('erased-c0ffee@erased.invalid');
  });

  it('names photos by position and type only', () => {
    expect(erasedFilename(1, 'Grandma Rose, Dublin 1952.JPG')).toBe('photo-1.jpg');
    expect(erasedFilename(3, 'no extension')).toBe('photo-3');
  });
});
