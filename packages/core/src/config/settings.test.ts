import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_DEFAULTS, parseSettings, sharedSettingsSchema } from './settings';

describe('shared settings', () => {
  it('fall back to the embedded services in development', () => {
    const settings = parseSettings(sharedSettingsSchema(false), {}, 'api');
    expect(settings.DATABASE_URL).toBe(DEV_DEFAULTS.databaseUrl);
    expect(settings.S3_ENDPOINT).toBe(DEV_DEFAULTS.s3Endpoint);
    expect(settings.S3_BUCKET).toBe('restoreclick');
  });

  it('name every missing production setting on one line', () => {
    const parse = () => parseSettings(sharedSettingsSchema(true), {}, 'api');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'api configuration is invalid: DATABASE_URL is required; S3_BUCKET is required; ' +
        'S3_ACCESS_KEY_ID is required; S3_SECRET_ACCESS_KEY is required.',
    );
  });

  it('explain a malformed DATABASE_URL', () => {
    expect(() =>
      parseSettings(sharedSettingsSchema(false), { DATABASE_URL: 'localhost:5432/db' }, 'worker'),
    ).toThrow(
      'worker configuration is invalid: DATABASE_URL must be a URL like postgres://user:password@host:5432/database.',
    );
  });

  it('treat an empty value as unset', () => {
    const settings = parseSettings(sharedSettingsSchema(false), { DATABASE_URL: '' }, 'api');
    expect(settings.DATABASE_URL).toBe(DEV_DEFAULTS.databaseUrl);
  });
});
