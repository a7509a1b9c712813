/** Whether photos no model could restore are refunded on their own, and after how long a grace period. */
export interface AutomaticRefundPolicy {
  /** `AUTO_REFUND_FAILED_IMAGES` (default on). */
  enabled: boolean;
  /** `AUTO_REFUND_GRACE_MINUTES` in seconds: the time an admin has to stop or hurry a refund. */
  graceSeconds: number;
}

/** What the customer's email says about a refunded photo. */
export const AUTOMATIC_REFUND_REASON =
  'None of our restoration models could produce a good result for this photo.';

export const automaticRefundKeyFor = (imageId: string) => `auto-refund:${imageId}`;
