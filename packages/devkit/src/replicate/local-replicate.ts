/**
 * A local Replicate-compatible server: the model host in development when no Replicate token is set, and what
 * tests run against. Our code reaches it through the official `replicate` client (`baseUrl`); predictions
 * really run (the input is fetched over HTTP and resized with sharp), and finish with signed webhooks.
 *
 * State lives in memory: restarting the server forgets every prediction and output.
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import Replicate from 'replicate';
import { lineLogger, type LocalStripeLogger, silentLogger } from '../stripe/logger';
import { registerApiRoutes } from './api-routes';
import { registerControlRoutes } from './control-routes';
import { createControls, type LocalReplicateControls } from './controls';
import { WebhookDelivery } from './delivery';
import { ReplicateApiError } from './errors';
import { OutcomeRules } from './outcomes';
import type { ModelLimits, ReplicateContext } from './predictions';
import { newWebhookSecret } from './signing';
import { PredictionStore } from './store';
import { listen } from '../http/listen';

/** The pino subset the server logs through (the same shape as the local Stripe server's). */
export type LocalReplicateLogger = LocalStripeLogger;

export interface LocalReplicateOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The token the API accepts (`Authorization: Bearer …`); a fixed local one by default. */
  apiToken?: string;
  /** The `whsec_…` secret webhooks are signed with; a fresh random one by default. */
  webhookSecret?: string;
  /** Base URL of `urls.get` and output URLs, when clients reach the server at another address. */
  publicUrl?: string;
  /** Delays in ms before each retry of a failed webhook delivery; attempts = length + 1. */
  retryScheduleMs?: readonly number[];
  /** Limits on fetching a prediction's input image. */
  limits?: Partial<ModelLimits>;
  /** Predictions per page of `GET /v1/predictions`: 100, as Replicate's, by default. */
  listPageSize?: number;
  logger?: LocalReplicateLogger;
  /** A plain line sink for a terminal, used when no `logger` is given. */
  log?: (line: string) => void;
}

export interface LocalReplicate extends LocalReplicateControls {
  /** `http://host:port`. */
  url: string;
  /** `${url}/v1`: what `new Replicate({ baseUrl })` takes. */
  baseUrl: string;
  host: string;
  port: number;
  apiToken: string;
  webhookSecret: string;
  /** A real `replicate` client pointed at this server. */
  client(options?: ConstructorParameters<typeof Replicate>[0]): Replicate;
  stop(): Promise<void>;
}

const API_TOKEN = 'r8_local_restoreclick';
const DEFAULT_RETRY_SCHEDULE_MS = [250, 500, 1_000, 2_000, 4_000];
const DELIVERY_TIMEOUT_MS = 10_000;
const DEFAULT_LIMITS: ModelLimits = {
  maxInputBytes: 50 * 1024 * 1024,
  inputTimeoutMs: 30_000,
  maxInputPixels: 100_000_000,
};

export async function startLocalReplicate(
  options: LocalReplicateOptions = {},
): Promise<LocalReplicate> {
  const webhookSecret = options.webhookSecret ?? newWebhookSecret();
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret)) {
    throw new Error('webhookSecret must look like a Replicate webhook secret (whsec_ and base64)');
  }
  const host = options.host ?? '127.0.0.1';
  const apiToken = options.apiToken ?? API_TOKEN;
  const logger = options.logger ?? (options.log ? lineLogger(options.log) : silentLogger);

  const store = new PredictionStore();
  const outcomes = new OutcomeRules();
  const delivery = new WebhookDelivery({
    secret: webhookSecret,
    retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    timeoutMs: DELIVERY_TIMEOUT_MS,
    logger,
  });
  // Known once the server listens; predictions are only created after that.
  let publicUrl = '';
  const context: ReplicateContext = {
    store,
    outcomes,
    delivery,
    publicUrl: () => publicUrl,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    listPageSize: options.listPageSize ?? 100,
    logger,
  };
  const controls = createControls({ store, outcomes, delivery });

  const app = new Hono();
  registerControlRoutes(app, controls);
  registerApiRoutes(app, { context, apiToken, webhookSecret });
  app.notFound(() =>
    new ReplicateApiError({
      status: 404,
      title: 'Not found',
      detail: 'The local Replicate server does not serve this route.',
    }).toResponse(),
  );
  app.onError((error, c) => {
    if (error instanceof ReplicateApiError) return error.toResponse();
    logger.error({ err: error, path: c.req.path }, 'the local Replicate server failed a request');
    return new ReplicateApiError({
      status: 500,
      title: 'Internal server error',
      detail: 'The local Replicate server failed.',
    }).toResponse();
  });

  const server = createServer(getRequestListener(app.fetch));
  const port = await listen(server, options.port ?? 0, host, 'local Replicate server');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  logger.info({ url }, 'local Replicate server listening');

  return {
    ...controls,
    url,
    baseUrl: `${url}/v1`,
    host,
    port,
    apiToken,
    webhookSecret,
    client: (clientOptions = {}) =>
      new Replicate({ auth: apiToken, baseUrl: `${url}/v1`, ...clientOptions }),
    async stop() {
      store.reset('The local Replicate server stopped.');
      delivery.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
