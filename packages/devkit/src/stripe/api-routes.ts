/**
 * The `/v1` API the official client speaks to: Bearer (or Basic) auth with a test key, form-encoded
 * parameters, `Idempotency-Key` on POSTs, JSON objects and Stripe's error bodies. Each route only parses and
 * presents; the operations live beside their resource.
 */
import type { Context, Hono } from 'hono';
import {
  createCheckoutSession,
  expireCheckoutSession,
  listCheckoutSessions,
  listLineItems,
} from './checkout-sessions';
import type { AccountContext } from './context';
import { createCustomerFromParams, listCustomers } from './customers';
import { invalidRequest, type StripeErrorBody, StripeApiError } from './errors';
import { type EventOrigin, listEvents } from './events';
import { requestFingerprint } from './idempotency';
import type { LocalStripeLogger } from './logger';
import { API_VERSION, newId } from './objects';
import { FormParams } from './params';
import { listCharges, listPaymentIntents } from './payments';
import { present, presentList } from './present';
import { createRefund, listRefunds } from './refunds';
import type { WebhookEndpoints } from './webhook-endpoints';

export interface ApiDependencies {
  context: AccountContext;
  endpoints: WebhookEndpoints;
  isAcceptedKey(key: string): boolean;
  logger: LocalStripeLogger;
}

interface ApiCall {
  params: FormParams;
  /** The `:id` in the path, when the route has one. */
  id: string;
  origin: EventOrigin;
}

type Method = 'GET' | 'POST' | 'DELETE';

function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function apiKeyFrom(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return credentials || undefined;
  if (scheme.toLowerCase() === 'basic') {
    // `curl -u sk_test_…:` sends the key as the user name.
    const user = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
    return user || undefined;
  }
  return undefined;
}

function authenticationError(message: string): StripeErrorBody {
  return { error: { type: 'invalid_request_error', message } };
}

export function registerApiRoutes(app: Hono, deps: ApiDependencies): void {
  const { context, endpoints, logger } = deps;
  const { store } = context;

  app.use('/v1/*', async (c, next) => {
    const key = apiKeyFrom(c.req.header('authorization'));
    const headers = { 'request-id': newId('req', 14), 'www-authenticate': 'Basic realm="Stripe"' };
    if (!key) {
      return jsonResponse(
        401,
        authenticationError(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
        headers,
      );
    }
    if (!deps.isAcceptedKey(key)) {
      return jsonResponse(
        401,
        authenticationError(`Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`),
        headers,
      );
    }
    await next();
  });

  async function handle(c: Context, method: Method, handler: (call: ApiCall) => unknown) {
    const startedAt = Date.now();
    const requestId = newId('req', 14);
    const url = new URL(c.req.url);
    const headers: Record<string, string> = {
      'request-id': requestId,
      'stripe-version': c.req.header('stripe-version') ?? API_VERSION,
    };
    const respond = (status: number, body: unknown) => {
      logger.debug(
        { method, path: url.pathname, status, requestId, durationMs: Date.now() - startedAt },
        'local Stripe API request',
      );
      return jsonResponse(status, body, headers);
    };
    try {
      if (method === 'POST' && /json/i.test(c.req.header('content-type') ?? '')) {
        throw invalidRequest(
          'Invalid request: the v1 API takes application/x-www-form-urlencoded parameters, not JSON.',
        );
      }
      const raw = method === 'POST' ? await c.req.text() : url.search.slice(1);
      const params = FormParams.parse(raw);
      const idempotencyKey = method === 'POST' ? (c.req.header('idempotency-key') ?? null) : null;
      const fingerprint = requestFingerprint(method, url.pathname, raw);
      if (idempotencyKey !== null) {
        if (idempotencyKey.length > 255) {
          throw invalidRequest('Idempotency keys can be at most 255 characters long.');
        }
        headers['idempotency-key'] = idempotencyKey;
        // Nothing awaits between this lookup and the save below, so two requests with one key never overlap.
        const saved = store.idempotency.lookup(idempotencyKey, fingerprint);
        if (saved.kind === 'replay') {
          headers['idempotent-replayed'] = 'true';
          headers['original-request'] = saved.originalRequestId;
          return respond(saved.status, saved.body);
        }
      }

      let status = 200;
      let body: unknown;
      try {
        body = handler({
          params,
          id: c.req.param('id') ?? '',
          origin: { requestId, idempotencyKey },
        });
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        if (error.beforeExecution) return respond(error.status, error.toBody());
        status = error.status;
        body = error.toBody();
      }
      if (idempotencyKey !== null) {
        store.idempotency.save(idempotencyKey, { fingerprint, status, body, requestId });
      }
      return respond(status, body);
    } catch (error) {
      if (error instanceof StripeApiError) return respond(error.status, error.toBody());
      logger.error(
        { err: error, requestId, method, path: url.pathname },
        'the local Stripe server failed a request',
      );
      return respond(500, {
        error: {
          type: 'api_error',
          message: `An unexpected error occurred in the local Stripe server (request ${requestId}).`,
        },
      });
    }
  }

  const route = (method: Method, path: string, handler: (call: ApiCall) => unknown) => {
    app.on(method, path, (c) => handle(c, method, handler));
  };
  /** A retrieve: only `expand[]` is allowed. */
  const retrieve = <T extends { object: string }>(find: (id: string) => T) => {
    return ({ params, id }: ApiCall) => {
      params.allowOnly(['expand']);
      return present(store, find(id), params.expand());
    };
  };

  route('POST', '/v1/checkout/sessions', ({ params }) =>
    present(store, createCheckoutSession(context, params).session, params.expand()),
  );
  route('GET', '/v1/checkout/sessions', ({ params }) =>
    presentList(store, listCheckoutSessions(context, params), params.expand()),
  );
  route(
    'GET',
    '/v1/checkout/sessions/:id',
    retrieve((id) => store.checkoutSessions.get(id).session),
  );
  route('GET', '/v1/checkout/sessions/:id/line_items', ({ params, id }) =>
    presentList(store, listLineItems(context, id, params), params.expand()),
  );
  route('POST', '/v1/checkout/sessions/:id/expire', ({ params, id, origin }) => {
    params.allowOnly(['expand']);
    return present(store, expireCheckoutSession(context, id, origin).session, params.expand());
  });

  route('POST', '/v1/customers', ({ params, origin }) =>
    present(store, createCustomerFromParams(context, params, origin), params.expand()),
  );
  route('GET', '/v1/customers', ({ params }) =>
    presentList(store, listCustomers(context, params), params.expand()),
  );
  route(
    'GET',
    '/v1/customers/:id',
    retrieve((id) => store.customers.get(id)),
  );

  route('GET', '/v1/payment_intents', ({ params }) =>
    presentList(store, listPaymentIntents(context, params), params.expand()),
  );
  route(
    'GET',
    '/v1/payment_intents/:id',
    retrieve((id) => store.paymentIntents.get(id)),
  );
  route('GET', '/v1/charges', ({ params }) =>
    presentList(store, listCharges(context, params), params.expand()),
  );
  route(
    'GET',
    '/v1/charges/:id',
    retrieve((id) => store.charges.get(id)),
  );

  route('POST', '/v1/refunds', ({ params, origin }) =>
    present(store, createRefund(context, params, origin), params.expand()),
  );
  route('GET', '/v1/refunds', ({ params }) =>
    presentList(store, listRefunds(context, params), params.expand()),
  );
  route(
    'GET',
    '/v1/refunds/:id',
    retrieve((id) => store.refunds.get(id)),
  );

  route('GET', '/v1/events', ({ params }) =>
    presentList(store, listEvents(store, params), params.expand()),
  );
  route(
    'GET',
    '/v1/events/:id',
    retrieve((id) => store.events.get(id).event),
  );

  route('POST', '/v1/webhook_endpoints', ({ params }) => endpoints.create(params));
  route('GET', '/v1/webhook_endpoints', ({ params }) =>
    presentList(store, endpoints.list(params), params.expand()),
  );
  route(
    'GET',
    '/v1/webhook_endpoints/:id',
    retrieve((id) => store.webhookEndpoints.get(id)),
  );
  route('DELETE', '/v1/webhook_endpoints/:id', ({ id }) => endpoints.delete(id));

  app.all('/v1/*', (c) =>
    jsonResponse(
      404,
      {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${c.req.method}: ${new URL(c.req.url).pathname}).`,
        },
      },
      { 'request-id': newId('req', 14) },
    ),
  );
}
