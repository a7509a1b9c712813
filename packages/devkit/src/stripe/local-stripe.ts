/**
 * A local Stripe-compatible server: the payment backend in development when STRIPE_SECRET_KEY is unset, and
 * what tests run against. Our code reaches it through the official `stripe` client
 * (`new Stripe(key, { host, port, protocol: 'http' })`); it serves the API subset we call, a hosted checkout
 * page where a person picks the outcome, and signed webhooks with Stripe's retry behaviour.
 *
 * State lives in memory: restarting the dev server forgets every session, payment and event (as resetting a
 * test-mode account would), so orders still pending from before a restart can only expire in our database.
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import Stripe from 'stripe';
import { registerApiRoutes } from './api-routes';
import { registerCheckoutPageRoutes } from './checkout-page-routes';
import { expireOverdueSessions } from './checkout-sessions';
import type { AccountContext } from './context';
import { registerControlRoutes } from './control-routes';
import { createControls, type LocalStripeControls } from './controls';
import { WebhookDelivery } from './delivery';
import { EventLog } from './events';
import { lineLogger, type LocalStripeLogger, silentLogger } from './logger';
import { SettlementTimers } from './settlement-timers';
import { LocalStripeStore } from './store';
import { WebhookEndpoints } from './webhook-endpoints';
import { listen } from '../http/listen';

export interface LocalStripeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The `whsec_…` secret every webhook is signed with (give the app the same one). */
  webhookSecret: string;
  /** Receives every event; more endpoints can be added with `POST /v1/webhook_endpoints`. */
  webhookUrl?: string;
  /** Base URL of the hosted checkout page in session `url`s, when browsers reach us at another address. */
  publicUrl?: string;
  /**
   * Delays in ms before each retry of a failed delivery; attempts = length + 1. Stripe retries for three
   * days; the default here backs off from 1 s to about a minute so a developer sees retries land.
   */
  retrySchedule?: readonly number[];
  /** How long a bank transfer takes to settle by itself after checkout (default 5 s). */
  asyncPaymentDelayMs?: number;
  logger?: LocalStripeLogger;
  /** A plain line sink for a terminal, used when no `logger` is given. */
  log?: (line: string) => void;
}

export interface LocalStripe extends LocalStripeControls {
  /** `http://host:port`: what `STRIPE_API_URL` points at. */
  url: string;
  host: string;
  port: number;
  /** A key the server accepts (any `sk_test_local…` key is). */
  apiKey: string;
  webhookSecret: string;
  /** A real `stripe` client pointed at this server (no network retries unless `config` asks). */
  client(config?: Stripe.StripeConfig): Stripe;
  stop(): Promise<void>;
}

const API_KEY = 'sk_test_local_restoreclick';
const ACCEPTED_KEY_PREFIX = 'sk_test_local';
const DEFAULT_RETRY_SCHEDULE_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000];
const DEFAULT_ASYNC_PAYMENT_DELAY_MS = 5_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const EXPIRY_SWEEP_INTERVAL_MS = 1_000;

export async function startLocalStripe(options: LocalStripeOptions): Promise<LocalStripe> {
  if (!options.webhookSecret.startsWith('whsec_')) {
    throw new Error('webhookSecret must look like a Stripe endpoint secret (whsec_…)');
  }
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? (options.log ? lineLogger(options.log) : silentLogger);

  const store = new LocalStripeStore();
  const endpoints = new WebhookEndpoints(store, options.webhookSecret, options.webhookUrl);
  const delivery = new WebhookDelivery({
    targets: () => endpoints.targets(),
    retrySchedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_MS,
    timeoutMs: DELIVERY_TIMEOUT_MS,
    logger,
  });
  const settlements = new SettlementTimers(
    options.asyncPaymentDelayMs ?? DEFAULT_ASYNC_PAYMENT_DELAY_MS,
    (sessionId, error) =>
      logger.error({ sessionId, err: error }, 'could not settle a bank transfer'),
  );
  // Known once the server listens; sessions are only created after that.
  let pageBaseUrl = '';
  const context: AccountContext = {
    store,
    events: new EventLog(store, delivery),
    hostedPageUrl: (sessionId) => `${pageBaseUrl}/checkout/${sessionId}`,
    settlements,
  };
  const controls = createControls({
    context,
    delivery,
    endpoints,
    clearTimers: () => settlements.clear(),
  });

  const app = new Hono();
  registerApiRoutes(app, {
    context,
    endpoints,
    isAcceptedKey: (key) => key.startsWith(ACCEPTED_KEY_PREFIX),
    logger,
  });
  registerCheckoutPageRoutes(app, context);
  registerControlRoutes(app, controls);
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'the local Stripe server failed a request');
    return c.json(
      { error: { type: 'api_error', message: 'The local Stripe server failed.' } },
      500,
    );
  });

  const server = createServer(getRequestListener(app.fetch));
  const port = await listen(server, options.port ?? 0, host, 'local Stripe server');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  pageBaseUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  const expirySweep = setInterval(() => {
    try {
      expireOverdueSessions(context);
    } catch (error) {
      logger.error({ err: error }, 'could not expire overdue checkout sessions');
    }
  }, EXPIRY_SWEEP_INTERVAL_MS);
  expirySweep.unref();
  logger.info({ url }, 'local Stripe server listening');

  return {
    ...controls,
    url,
    host,
    port,
    apiKey: API_KEY,
    webhookSecret: options.webhookSecret,
    client: (config = {}) =>
      new Stripe(API_KEY, {
        host,
        port,
        protocol: 'http',
        maxNetworkRetries: 0,
        telemetry: false,
        ...config,
      }),
    async stop() {
      clearInterval(expirySweep);
      settlements.clear();
      delivery.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
