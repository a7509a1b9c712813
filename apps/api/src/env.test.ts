import { describe, expect, it } from 'vitest';
import { ConfigError } from '@restoreclick/core';
import { loadApiConfig } from './env';

// The money-path settings production also requires (their own tests live in core).
const productionCommerceSettings = {
  STRIPE_SECRET_KEY: 'sk_live_0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789',
  STOREFRONT_URL: 'https://restoreclick.example',
};

describe('api configuration', () => {
  it('runs against the embedded services with no settings in development', () => {
    const config = loadApiConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres:postgres@127.0.0.1:54329/restoreclick');
    expect(config.CORS_ORIGINS).toEqual(['http://localhost:5173', 'http://localhost:5174']);
  });

  it('names every missing production setting in one line', () => {
    expect(() => loadApiConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ NODE_ENV: 'production' })).toThrow(
      /^restoreclick-api configuration is invalid: DATABASE_URL is required; S3_BUCKET is required; .*PUBLIC_URL is required\.$/,
    );
  });

  it('explains what a DATABASE_URL must look like when it is malformed', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'localhost/shop' })).toThrow(
      new ConfigError(
        'restoreclick-api configuration is invalid: DATABASE_URL must be a URL like postgres://user:password@host:5432/database.',
      ),
    );
    expect(() => loadApiConfig({ DATABASE_URL: 'mysql://app@db:3306/shop' })).toThrow(
      /^restoreclick-api configuration is invalid: DATABASE_URL must be a URL like postgres:/,
    );
  });

  it('starts in production once every required setting is given, without development defaults', () => {
    const config = loadApiConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:secret@db.internal:5432/shop',
      S3_BUCKET: 'photos',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      PUBLIC_URL: 'https://api.restoreclick.example',
      CORS_ORIGINS: 'https://restoreclick.example, https://admin.restoreclick.example',
      ...productionCommerceSettings,
    });
    expect(config.PUBLIC_URL).toBe('https://api.restoreclick.example');
    expect(config.CORS_ORIGINS).toEqual([
      'https://restoreclick.example',
      'https://admin.restoreclick.example',
    ]);
    expect(config.S3_ENDPOINT).toBeUndefined();
    expect(config.SHUTDOWN_GRACE_SECONDS).toBe(10);
    expect(config.READINESS_TIMEOUT_MS).toBe(2000);
  });

  it('accepts admin changes from PUBLIC_URL and, in development only, the admin dev servers', () => {
    expect(loadApiConfig({}).ADMIN_ORIGINS).toEqual([
      'http://localhost:3000',
      'http://localhost:5173',
      'http://127.0.0.1:5173',
      'http://localhost:4173',
      'http://127.0.0.1:4173',
    ]);
    const production = loadApiConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:secret@db.internal:5432/shop',
      S3_BUCKET: 'photos',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      PUBLIC_URL: 'https://restoreclick.example/api/',
      ...productionCommerceSettings,
    });
    expect(production.ADMIN_ORIGINS).toEqual(['https://restoreclick.example']);
    expect(
      loadApiConfig({ ADMIN_ORIGINS: 'https://admin.example/, https://ops.example' }).ADMIN_ORIGINS,
    ).toEqual(['https://admin.example', 'https://ops.example']);
  });

  it('has defaults for every admin setting and names a bad one', () => {
    expect(loadApiConfig({})).toMatchObject({
      ADMIN_MAX_FAILED_LOGINS: 10,
      ADMIN_LOCKOUT_MINUTES: 15,
      ADMIN_LOGIN_FAILURES_PER_IP: 20,
      RESTORATION_COST_PER_SECOND_CENTS: 0.14,
      EMAIL_COST_CENTS: 0.1,
    });
    expect(() => loadApiConfig({ ADMIN_MAX_FAILED_LOGINS: '1' })).toThrow(
      /ADMIN_MAX_FAILED_LOGINS/,
    );
  });

  it('has request limits our own clients fit in, and says why a smaller batch limit is refused', () => {
    expect(loadApiConfig({})).toMatchObject({
      TRPC_MAX_BODY_BYTES: 1024 * 1024,
      TRPC_MAX_BATCH_SIZE: 20,
      READINESS_CACHE_MS: 1000,
    });
    expect(() => loadApiConfig({ TRPC_MAX_BATCH_SIZE: '5' })).toThrow(
      /TRPC_MAX_BATCH_SIZE.*at least 10: the SDK and the admin app batch up to that many calls/s,
    );
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadApiConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
