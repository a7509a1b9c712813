/**
 * How the operations page checks each service the API depends on: one cheap, read-only request each, with
 * the clients the API already has. A service that is not configured is reported as what stands in for it.
 */
import { sql } from 'kysely';
import Replicate from 'replicate';
import type Stripe from 'stripe';
import type { ObjectStore, ServiceName, ServiceProbe } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';

export interface ServiceProbeSettings {
  STRIPE_API_URL?: string | undefined;
  REPLICATE_API_TOKEN?: string | undefined;
  REPLICATE_API_URL?: string | undefined;
  SENDGRID_API_KEY?: string | undefined;
  SENDGRID_API_URL?: string | undefined;
}

const SENDGRID_API = 'https://api.sendgrid.com';

export function createServiceProbes(input: {
  db: Kysely<Database>;
  objectStore: ObjectStore;
  stripe: Stripe;
  settings: ServiceProbeSettings;
}): Record<ServiceName, ServiceProbe> {
  const { settings } = input;
  const replicateToken = settings.REPLICATE_API_TOKEN;
  const sendgridKey = settings.SENDGRID_API_KEY;
  return {
    database: {
      async check() {
        const { rows } = await sql<{ version: string }>`
          select current_setting('server_version') as version
        `.execute(input.db);
        return `Postgres ${rows[0]?.version ?? ''}`.trim();
      },
    },
    storage: {
      async check() {
        await input.objectStore.checkBucket();
        return `bucket ${input.objectStore.bucket}`;
      },
    },
    stripe: {
      async check() {
        await input.stripe.checkout.sessions.list({ limit: 1 });
        return settings.STRIPE_API_URL
          ? `local Stripe-compatible server at ${settings.STRIPE_API_URL}`
          : 'api.stripe.com';
      },
    },
    replicate: replicateToken
      ? {
          async check() {
            const replicate = new Replicate({
              auth: replicateToken,
              ...(settings.REPLICATE_API_URL ? { baseUrl: settings.REPLICATE_API_URL } : {}),
            });
            await replicate.webhooks.default.secret.get();
            return settings.REPLICATE_API_URL ?? 'api.replicate.com';
          },
        }
      : { notConfigured: 'local restorer on the worker (no REPLICATE_API_TOKEN)' },
    sendgrid: sendgridKey
      ? {
          async check() {
            const base = (settings.SENDGRID_API_URL ?? SENDGRID_API).replace(/\/+$/, '');
            const response = await fetch(`${base}/v3/scopes`, {
              headers: { authorization: `Bearer ${sendgridKey}` },
            });
            if (!response.ok) {
              throw new Error(
                response.status === 401 || response.status === 403
                  ? `SendGrid refused the API key (${response.status})`
                  : `SendGrid answered ${response.status}`,
              );
            }
            return settings.SENDGRID_API_URL ?? 'api.sendgrid.com';
          },
        }
      : { notConfigured: 'outbox (no SENDGRID_API_KEY): emails are kept for admins to read' },
  };
}
