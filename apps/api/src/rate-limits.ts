/**
 * The customer-facing limits (`RATE_LIMITS_*` settings), counted in Postgres by rate-limiter-flexible so every
 * api process shares them. A spent limit is a RATE_LIMITED error saying when to try again.
 */
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, type RateLimiter, type RateLimitName } from '@restoreclick/core';

export interface RateLimitSettings {
  sharesPerOrderPerDay: number;
  sharesPerIpPerDay: number;
  resendsPerOrderPerDay: number;
}

const DAY_SECONDS = 24 * 60 * 60;

const WHAT: Record<RateLimitName, string> = {
  'share-per-order': 'shares of this order',
  'share-per-ip': 'shares from your connection',
  'resend-per-order': 'resent emails for this order',
};

function describeWait(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes >= 120 ? `${Math.ceil(minutes / 60)} hours` : `${minutes} minutes`;
}

export function createRateLimiter(pool: pg.Pool, settings: RateLimitSettings): RateLimiter {
  const make = (keyPrefix: RateLimitName, points: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      // The table comes from our migrations, not from the library at run time.
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix,
      points,
      duration: DAY_SECONDS,
    });
  const limits: Record<RateLimitName, { limiter: RateLimiterPostgres; points: number }> = {
    'share-per-order': {
      limiter: make('share-per-order', settings.sharesPerOrderPerDay),
      points: settings.sharesPerOrderPerDay,
    },
    'share-per-ip': {
      limiter: make('share-per-ip', settings.sharesPerIpPerDay),
      points: settings.sharesPerIpPerDay,
    },
    'resend-per-order': {
      limiter: make('resend-per-order', settings.resendsPerOrderPerDay),
      points: settings.resendsPerOrderPerDay,
    },
  };
  return {
    async consume(name, key) {
      const { limiter, points } = limits[name];
      try {
        await limiter.consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new AppError(
            'RATE_LIMITED',
            `That is the most ${WHAT[name]} allowed in a day (${points}). Try again in ${describeWait(error.msBeforeNext)}.`,
            { limit: name, retryAfterSeconds: Math.ceil(error.msBeforeNext / 1000) },
          );
        }
        throw error;
      }
    },
  };
}
