/**
 * Failed admin sign-ins per client address (`ADMIN_LOGIN_FAILURES_PER_IP` per `ADMIN_LOGIN_IP_WINDOW_MINUTES`),
 * counted in Postgres by rate-limiter-flexible so every api process shares the count. Only failures count:
 * an admin who signs in without mistakes never gets near it.
 */
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { type LoginThrottle, tooManySignInsError } from '@restoreclick/core';

export function createLoginThrottle(
  pool: pg.Pool,
  settings: { failuresPerIp: number; windowMinutes: number },
): LoginThrottle {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    // The table comes from our migrations, not from the library at run time.
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: 'admin-login-failures-per-ip',
    points: settings.failuresPerIp,
    duration: Math.round(settings.windowMinutes * 60),
  });
  return {
    async assertAllowed(ip) {
      const spent = await limiter.get(ip);
      if (spent && spent.consumedPoints >= settings.failuresPerIp) {
        throw tooManySignInsError(spent.msBeforeNext);
      }
    },
    async recordFailure(ip) {
      try {
        await limiter.consume(ip);
      } catch (error) {
        // Over the limit already: the next attempt is refused by assertAllowed.
        if (!(error instanceof RateLimiterRes)) throw error;
      }
    },
  };
}
