/** The API's configuration, read from the environment once at start and validated with zod. */
import { z } from 'zod';
import { CLIENT_MAX_BATCH_CALLS } from './trpc/batch-limit';
import {
  commerceSettingsSchema,
  nodeEnvSchema,
  parseSettings,
  privacySettingsSchema,
  restorationSettingsSchema,
  sharedSettingsSchema,
} from '@restoreclick/core';

/** Defaults of the admin settings, shared with compose.ts for callers that leave them out (tests, bench). */
export const ADMIN_SETTING_DEFAULTS = {
  ADMIN_SESSION_TTL_HOURS: 12,
  ADMIN_MAX_FAILED_LOGINS: 10,
  ADMIN_LOCKOUT_MINUTES: 15,
  ADMIN_LOGIN_FAILURES_PER_IP: 20,
  ADMIN_LOGIN_IP_WINDOW_MINUTES: 15,
  ADMIN_REPEAT_WINDOW_SECONDS: 120,
  RESTORATION_COST_PER_SECOND_CENTS: 0.14,
  EMAIL_COST_CENTS: 0.1,
} as const;

/** Defaults of request limits that compose.ts also applies for callers that leave them out (tests, bench). */
export const REQUEST_SETTING_DEFAULTS = {
  TRPC_MAX_BODY_BYTES: 1024 * 1024,
  READINESS_CACHE_MS: 1000,
  TRPC_MAX_BATCH_SIZE: 20,
} as const;

/** Where the admin dashboard runs in development: Vite's dev server and its preview. */
export const DEV_ADMIN_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:4173',
  'http://127.0.0.1:4173',
];

const originList = z.string().transform((value) =>
  value
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean),
);

function apiSettingsSchema(isProduction: boolean) {
  return sharedSettingsSchema(isProduction)
    .extend(commerceSettingsSchema(isProduction).shape)
    .extend(restorationSettingsSchema().shape)
    .extend(privacySettingsSchema().shape)
    .extend({
      NODE_ENV: nodeEnvSchema,
      PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
      HOST: z.string().min(1).default('0.0.0.0'),
      PUBLIC_URL: isProduction ? z.url() : z.url().default('http://localhost:3000'),
      CORS_ORIGINS: z
        .string()
        .default('http://localhost:5173,http://localhost:5174')
        .transform((value) =>
          value
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
        ),
      SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
      READINESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
      /** How long one readiness report answers /readyz and `health` (0: every request waits for a fresh one). */
      READINESS_CACHE_MS: z.coerce
        .number()
        .int()
        .min(0)
        .max(60_000)
        .default(REQUEST_SETTING_DEFAULTS.READINESS_CACHE_MS),
      /** Largest photo accepted, in bytes (default 25 MB). */
      UPLOAD_MAX_FILE_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(500 * 1024 * 1024)
        .default(25 * 1024 * 1024),
      UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(500).default(20),
      /** Decompression-bomb guard: images over this many pixels are refused (default 50 MP). */
      UPLOAD_MAX_PIXELS: z.coerce
        .number()
        .int()
        .min(1_000_000)
        .max(1_000_000_000)
        .default(50_000_000),
      UPLOAD_SESSION_TTL_HOURS: z.coerce
        .number()
        .min(1)
        .max(24 * 30)
        .default(24),
      /** Origins allowed to send admin mutations; default: PUBLIC_URL (and the admin dev servers in development). */
      ADMIN_ORIGINS: originList.optional(),
      ADMIN_SESSION_TTL_HOURS: z.coerce
        .number()
        .min(0.25)
        .max(24 * 30)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_SESSION_TTL_HOURS),
      /** Wrong passwords in a row that lock an admin account. */
      ADMIN_MAX_FAILED_LOGINS: z.coerce
        .number()
        .int()
        .min(3)
        .max(100)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_MAX_FAILED_LOGINS),
      ADMIN_LOCKOUT_MINUTES: z.coerce
        .number()
        .min(1)
        .max(24 * 60)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_LOCKOUT_MINUTES),
      /** Failed admin sign-ins from one address per window before it is refused. */
      ADMIN_LOGIN_FAILURES_PER_IP: z.coerce
        .number()
        .int()
        .min(1)
        .max(10_000)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_LOGIN_FAILURES_PER_IP),
      ADMIN_LOGIN_IP_WINDOW_MINUTES: z.coerce
        .number()
        .min(1)
        .max(24 * 60)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_LOGIN_IP_WINDOW_MINUTES),
      /** An identical refund or email resend within this many seconds answers with the first one. */
      ADMIN_REPEAT_WINDOW_SECONDS: z.coerce
        .number()
        .int()
        .min(0)
        .max(24 * 3600)
        .default(ADMIN_SETTING_DEFAULTS.ADMIN_REPEAT_WINDOW_SECONDS),
      /** What a second of model time costs us, in cents (business summary). */
      RESTORATION_COST_PER_SECOND_CENTS: z.coerce
        .number()
        .min(0)
        .max(10_000)
        .default(ADMIN_SETTING_DEFAULTS.RESTORATION_COST_PER_SECOND_CENTS),
      /** What one sent email costs us, in cents (business summary). */
      EMAIL_COST_CENTS: z.coerce
        .number()
        .min(0)
        .max(10_000)
        .default(ADMIN_SETTING_DEFAULTS.EMAIL_COST_CENTS),
      /** The worker sends the email; the api only checks that SendGrid answers (operations page). */
      SENDGRID_API_KEY: z.string().min(1).optional(),
      SENDGRID_API_URL: z.url().optional(),
      /** Bearer token for operator endpoints until admin sessions exist; unset disables them. */
      ADMIN_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
      /** Lifetime of every presigned photo URL handed to a browser. */
      SIGNED_URL_EXPIRY_SECONDS: z.coerce
        .number()
        .int()
        .min(60)
        .max(7 * 24 * 3600)
        .default(900),
      /** How long a ZIP download link (and a shared link) works. */
      DOWNLOAD_LINK_TTL_DAYS: z.coerce.number().min(1).max(90).default(7),
      SHARE_MESSAGE_MAX_LENGTH: z.coerce.number().int().min(0).max(5000).default(1000),
      RATE_LIMIT_SHARES_PER_ORDER: z.coerce.number().int().min(1).max(1000).default(5),
      RATE_LIMIT_SHARES_PER_IP: z.coerce.number().int().min(1).max(1000).default(5),
      RATE_LIMIT_RESENDS_PER_ORDER: z.coerce.number().int().min(1).max(1000).default(3),
      /** Behind a load balancer: take the client address from X-Forwarded-For. */
      TRUST_PROXY: z
        .enum(['true', 'false', '1', '0'], 'must be true or false')
        .transform((value) => value === 'true' || value === '1')
        .default(false),
      /** Largest webhook body accepted, in bytes. */
      WEBHOOK_MAX_BODY_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(10 * 1024 * 1024)
        .default(1024 * 1024),
      /** Largest request body of a tRPC call (JSON), in bytes; uploads and webhooks have their own limits. */
      TRPC_MAX_BODY_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(10 * 1024 * 1024)
        .default(REQUEST_SETTING_DEFAULTS.TRPC_MAX_BODY_BYTES),
      /** Most procedures one batched tRPC request may call; our clients send at most 10 at a time. */
      TRPC_MAX_BATCH_SIZE: z.coerce
        .number()
        .int()
        .min(
          CLIENT_MAX_BATCH_CALLS,
          `must be at least ${CLIENT_MAX_BATCH_CALLS}: the SDK and the admin app batch up to that many calls`,
        )
        .max(1000)
        .default(REQUEST_SETTING_DEFAULTS.TRPC_MAX_BATCH_SIZE),
    });
}

export type ApiConfig = Omit<z.infer<ReturnType<typeof apiSettingsSchema>>, 'ADMIN_ORIGINS'> & {
  ADMIN_ORIGINS: string[];
};

/** Pure: takes the environment as a record so tests can pass their own. */
export function loadApiConfig(source: Record<string, string | undefined>): ApiConfig {
  const isProduction = source.NODE_ENV === 'production';
  const config = parseSettings(apiSettingsSchema(isProduction), source, 'restoreclick-api');
  const adminOrigins = config.ADMIN_ORIGINS ?? [
    new URL(config.PUBLIC_URL).origin,
    ...(isProduction ? [] : DEV_ADMIN_ORIGINS),
  ];
  return { ...config, ADMIN_ORIGINS: adminOrigins };
}
