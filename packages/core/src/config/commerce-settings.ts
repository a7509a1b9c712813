/**
 * Settings of the money path that the api and the worker share: the payment processor, the price table and
 * where customers are sent back to. In production the Stripe keys are required; in development they point at
 * the local Stripe-compatible server.
 */
import { z } from 'zod';
import { DEFAULT_PRICE_TABLE, ZPriceTable } from '../orders/pricing';

export const LOCAL_STRIPE = {
  url: 'http://127.0.0.1:12111',
  secretKey: 'sk_test_local_restoreclick',
  webhookSecret: 'whsec_local_restoreclick',
} as const;

const priceTableFromJson = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'must be JSON like {"currency":"usd","options":{…}}',
      });
      return z.NEVER;
    }
  })
  .pipe(ZPriceTable);

export function commerceSettingsSchema(isProduction: boolean) {
  return z.object({
    STRIPE_SECRET_KEY: isProduction
      ? z
          .string()
          .regex(/^(sk|rk)_(live|test)_/, 'must be a Stripe secret key (sk_live_… or sk_test_…)')
      : z.string().min(1).default(LOCAL_STRIPE.secretKey),
    STRIPE_WEBHOOK_SECRET: isProduction
      ? z.string().startsWith('whsec_', 'must be a webhook signing secret (whsec_…)')
      : z.string().min(1).default(LOCAL_STRIPE.webhookSecret),
    /** Only for a Stripe-compatible server other than api.stripe.com (the local one in development). */
    STRIPE_API_URL: isProduction ? z.url().optional() : z.url().default(LOCAL_STRIPE.url),
    STOREFRONT_URL: isProduction ? z.url() : z.url().default('http://localhost:5174'),
    PRICE_TABLE: priceTableFromJson.default(DEFAULT_PRICE_TABLE),
    CHECKOUT_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(30)
      .max(24 * 60)
      .default(60),
    RECONCILE_LOOKBACK_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(48),
  });
}

export type CommerceSettings = z.infer<ReturnType<typeof commerceSettingsSchema>>;

/** Constructor options for the official `stripe` client, pointed at `STRIPE_API_URL` when it is set. */
export function stripeClientOptions(settings: Pick<CommerceSettings, 'STRIPE_API_URL'>) {
  const base = {
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: 'RestoreClick' },
  };
  if (!settings.STRIPE_API_URL) return base;
  const url = new URL(settings.STRIPE_API_URL);
  return {
    ...base,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol.replace(':', '') as 'http' | 'https',
  };
}

/** The storefront pages Stripe sends customers back to. */
export function checkoutReturnUrls(settings: Pick<CommerceSettings, 'STOREFRONT_URL'>) {
  const base = settings.STOREFRONT_URL.replace(/\/+$/, '');
  return {
    successUrl: `${base}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${base}/checkout/cancelled`,
  };
}
