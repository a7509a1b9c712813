/**
 * Zod schemas for the settings more than one app shares, and one way to turn an env record into typed
 * config with a one-line error. Apps call `parseSettings` once, in their `env.ts`; core never reads env.
 */
import { z } from 'zod';

export const DEV_DEFAULTS = {
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54329/restoreclick',
  s3Endpoint: 'http://127.0.0.1:4569',
  s3Bucket: 'restoreclick',
  s3Region: 'us-east-1',
  s3AccessKeyId: 'S3RVER',
  s3SecretAccessKey: 'S3RVER',
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const nodeEnvSchema = z.enum(['development', 'test', 'production']).default('development');

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
      );
    } catch {
      return false;
    }
  }, 'must be a URL like postgres://user:password@host:5432/database');

/**
 * Settings every process that touches Postgres and S3 shares. In production nothing falls back to the
 * embedded defaults: each must be set.
 */
export function sharedSettingsSchema(isProduction: boolean) {
  const devDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) =>
    isProduction ? schema : schema.default(value as never);
  return z.object({
    DATABASE_URL: devDefault(postgresUrl, DEV_DEFAULTS.databaseUrl),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    S3_ENDPOINT: isProduction ? z.url().optional() : z.url().default(DEV_DEFAULTS.s3Endpoint),
    S3_BUCKET: devDefault(z.string().min(3), DEV_DEFAULTS.s3Bucket),
    S3_REGION: z.string().min(1).default(DEV_DEFAULTS.s3Region),
    S3_ACCESS_KEY_ID: devDefault(z.string().min(1), DEV_DEFAULTS.s3AccessKeyId),
    S3_SECRET_ACCESS_KEY: devDefault(z.string().min(1), DEV_DEFAULTS.s3SecretAccessKey),
    S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  });
}

export type SharedSettings = z.infer<ReturnType<typeof sharedSettingsSchema>>;

/** Parses `source` (usually process.env) with `schema`; every problem is listed on one line. */
export function parseSettings<T extends z.ZodType>(
  schema: T,
  source: Record<string, string | undefined>,
  appName: string,
): z.infer<T> {
  // Empty strings count as unset, as they do in most deployment tools.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(settings)';
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    return missing ? `${name} is required` : `${name} ${issue.message}`;
  });
  throw new ConfigError(`${appName} configuration is invalid: ${problems.join('; ')}.`);
}

/** S3 client options derived from the settings: path-style for any custom endpoint unless told otherwise. */
export function s3ClientOptions(settings: SharedSettings) {
  return {
    region: settings.S3_REGION,
    endpoint: settings.S3_ENDPOINT,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE ?? settings.S3_ENDPOINT !== undefined,
    // S3-compatible servers (s3rver, older MinIO) store the SDK's default aws-chunked streaming bodies with their
    // chunk framing: checksums only where an operation requires them.
    ...(settings.S3_ENDPOINT
      ? {
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    credentials: {
      accessKeyId: settings.S3_ACCESS_KEY_ID,
      secretAccessKey: settings.S3_SECRET_ACCESS_KEY,
    },
  };
}
