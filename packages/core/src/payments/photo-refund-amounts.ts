/**
 * How much refunding a photo gives back: its share of what the customer paid (after discounts, with tax),
 * never more than what is left to refund. Shares are whole minor units that add up exactly to the amount paid,
 * so refunding every photo of an order refunds all of it, cent for cent.
 */

/**
 * The share of photo `index` (0-based, in the order's photo order) of `amountPaid` split over `photoCount`
 * photos. The cents that do not divide evenly go to the later photos, one each.
 */
export function photoShareOf(amountPaid: number, photoCount: number, index: number): number {
  if (!Number.isInteger(amountPaid) || amountPaid < 0) {
    throw new RangeError(`amountPaid must be a whole number of minor units, got ${amountPaid}`);
  }
  if (!Number.isInteger(photoCount) || photoCount < 1) {
    throw new RangeError(`photoCount must be at least 1, got ${photoCount}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= photoCount) {
    throw new RangeError(`index must be between 0 and ${photoCount - 1}, got ${index}`);
  }
  return (
    Math.floor((amountPaid * (index + 1)) / photoCount) -
    Math.floor((amountPaid * index) / photoCount)
  );
}

export interface PhotoRefundPlanInput {
  amountPaid: number;
  /** Refunded so far, by anyone, including automatic refunds still on their way. */
  alreadyRefunded: number;
  photoCount: number;
  /** The photos to refund now, by their 0-based index in the order. */
  photoIndexes: readonly number[];
}

/**
 * The amount of each photo to refund now, in the order given: its share, until what is left to refund runs
 * out (an admin may have refunded part of the order already). An amount may be 0.
 */
export function planPhotoRefunds(input: PhotoRefundPlanInput): number[] {
  let left = Math.max(0, input.amountPaid - input.alreadyRefunded);
  return input.photoIndexes.map((index) => {
    const amount = Math.min(photoShareOf(input.amountPaid, input.photoCount, index), left);
    left -= amount;
    return amount;
  });
}
