/**
 * Settings of email delivery (worker). Without `SENDGRID_API_KEY` every message goes to the outbox, where
 * admins read it; with it, SendGrid sends it, through dynamic templates when their ids are set.
 */
import { z } from 'zod';

const address = z
  .string()
  .trim()
  .regex(
    /^(?:[^<>\r\n]+<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
    'must be an address like orders@example.com or "RestoreClick <orders@example.com>"',
  );

export function emailSettingsSchema(isProduction: boolean) {
  return z.object({
    SENDGRID_API_KEY: z.string().min(1).optional(),
    /** Only for a SendGrid-compatible server other than api.sendgrid.com (tests). */
    SENDGRID_API_URL: z.url().optional(),
    /**
     * How long SendGrid's Email Activity may take to list an accepted message. A send whose outcome is unknown
     * (crash, timeout) is looked up there, and only repeated once this has passed. 0 for the local server.
     */
    SENDGRID_ACTIVITY_LAG_SECONDS: z.coerce.number().int().min(0).max(3_600).default(180),
    SENDGRID_ORDER_CONFIRMATION_TEMPLATE_ID: z.string().min(1).optional(),
    SENDGRID_RESTORATION_COMPLETE_TEMPLATE_ID: z.string().min(1).optional(),
    SENDGRID_SHARE_TEMPLATE_ID: z.string().min(1).optional(),
    EMAIL_FROM: isProduction
      ? address
      : address.default('RestoreClick <orders@restoreclick.local>'),
    EMAIL_REPLY_TO: address.optional(),
    SUPPORT_EMAIL: isProduction
      ? z.email('must be an email address')
      : z.email('must be an email address').default('support@restoreclick.local'),
    /** Photos are attached while the message stays under this size; larger orders get links. */
    EMAIL_ATTACHMENT_LIMIT_MB: z.coerce.number().min(0).max(29).default(20),
    EMAIL_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  });
}

export type EmailEnv = z.infer<ReturnType<typeof emailSettingsSchema>>;

/** `"Name <a@b.c>"` or `"a@b.c"` → `{ email, name }`. */
export function parseEmailAddress(value: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!match) return { email: value.trim() };
  const [, name, email] = match;
  return { email: (email ?? '').trim(), ...(name ? { name: name.replace(/^"|"$/g, '') } : {}) };
}
