import { describe, expect, it } from 'vitest';
import { photoShareOf, planPhotoRefunds } from './photo-refund-amounts';

describe('photo refund amounts', () => {
  it('gives each photo an equal share of an evenly divisible payment', () => {
    expect([0, 1, 2].map((index) => photoShareOf(2700, 3, index))).toEqual([900, 900, 900]);
  });

  it('splits an uneven payment so the shares add up to exactly what was paid', () => {
    // 3 photos at 9.00 with a 10 % discount and 7 % tax: 28.89 paid.
    const shares = [0, 1, 2].map((index) => photoShareOf(2889, 3, index));
    expect(shares).toEqual([963, 963, 963]);
    const uneven = [0, 1, 2, 3, 4, 5].map((index) => photoShareOf(1001, 6, index));
    expect(uneven.reduce((sum, share) => sum + share, 0)).toBe(1001);
    expect(Math.max(...uneven) - Math.min(...uneven)).toBe(1);
  });

  it('refunds the share of what was paid after a discount, not the list price', () => {
    // Two photos at 19.00 with a 50 % coupon: 19.00 paid, so one photo is worth 9.50.
    expect(
      planPhotoRefunds({ amountPaid: 1900, alreadyRefunded: 0, photoCount: 2, photoIndexes: [1] }),
    ).toEqual([950]);
  });

  it('never refunds more than is left after earlier refunds', () => {
    expect(
      planPhotoRefunds({
        amountPaid: 2700,
        alreadyRefunded: 2000,
        photoCount: 3,
        photoIndexes: [0, 2],
      }),
    ).toEqual([700, 0]);
    expect(
      planPhotoRefunds({
        amountPaid: 2700,
        alreadyRefunded: 2700,
        photoCount: 3,
        photoIndexes: [1],
      }),
    ).toEqual([0]);
  });

  it('refunds everything that was paid when every photo is refunded', () => {
    const amounts = planPhotoRefunds({
      amountPaid: 1001,
      alreadyRefunded: 0,
      photoCount: 3,
      photoIndexes: [0, 1, 2],
    });
    expect(amounts.reduce((sum, amount) => sum + amount, 0)).toBe(1001);
  });

  it('refunds nothing for a free order', () => {
    expect(
      planPhotoRefunds({ amountPaid: 0, alreadyRefunded: 0, photoCount: 2, photoIndexes: [0, 1] }),
    ).toEqual([0, 0]);
  });

  it('rejects an index outside the order', () => {
    expect(() => photoShareOf(900, 1, 1)).toThrow(RangeError);
  });
});
