/**
 * Limits on what a customer can trigger (shares, resends), shared by every api process. Each named limit has
 * its own points and window, set by the app from config; `consume` throws RATE_LIMITED when one is spent.
 */
export type RateLimitName = 'share-per-order' | 'share-per-ip' | 'resend-per-order';

export interface RateLimiter {
  consume(limit: RateLimitName, key: string): Promise<void>;
}
