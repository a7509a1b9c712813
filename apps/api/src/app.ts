/**
 * The HTTP surface. Hono on @hono/node-server serves tRPC (storefront at /trpc, admin at /admin/trpc) beside
 * plain routes that tRPC cannot serve well: webhooks need the raw body to verify signatures, uploads stream
 * multipart bodies (the Node request is at `c.env.incoming`), downloads stream responses.
 */
import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import { isAppError, resolveAdminSession } from '@restoreclick/core';
import { clientIpOf } from './client-ip';
import type { ApiDependencies } from './dependencies';
import { loggablePath } from './loggable-path';
import { downloadRoutes } from './routes/downloads';
import { replicateWebhookRoutes } from './routes/replicate-webhook';
import { stripeWebhookRoutes } from './routes/stripe-webhook';
import { uploadRoutes } from './routes/uploads';
import { apiSecurityHeaders } from './security-headers';
import type { ApiContext } from './trpc/context';
import { adminRouter } from './trpc/admin/index';
import { trpcBatchLimit } from './trpc/batch-limit';
import { trpcBodyLimit } from './trpc/body-limit';
import { readAdminSessionCookie } from './trpc/admin/session-cookie';
import { storefrontRouter } from './trpc/storefront/index';

export interface AppOptions {
  deps: ApiDependencies;
  logger: Logger;
  corsOrigins: string[];
  /** Send Strict-Transport-Security (production, behind HTTPS). */
  hsts?: boolean;
}

export type AppEnv = { Variables: { requestId: string; logger: Logger } };

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { deps, logger } = options;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const path = c.req.path;
    if (path !== '/healthz') {
      // Never the query string (tRPC inputs, with their tokens), and no token in the path either.
      requestLogger.info(
        {
          method: c.req.method,
          path: loggablePath(path),
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  });

  app.use('*', apiSecurityHeaders({ hsts: options.hsts ?? false }));

  app.use(
    '*',
    cors({
      origin: options.corsOrigins,
      credentials: true,
      allowHeaders: ['content-type', 'x-request-id', 'trpc-accept'],
      exposeHeaders: ['x-request-id'],
      maxAge: 600,
    }),
  );

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/readyz', async (c) => {
    const report = await deps.checkReadiness();
    return c.json(report, report.ok ? 200 : 503);
  });

  app.route('/webhooks/stripe', stripeWebhookRoutes(deps));
  app.route('/webhooks/replicate', replicateWebhookRoutes(deps));
  app.route('/uploads', uploadRoutes(deps));
  app.route('/download', downloadRoutes(deps));

  const mountTrpc = (
    endpoint: string,
    router: typeof storefrontRouter | typeof adminRouter,
    options: { admin: boolean },
  ) => {
    app.use(`${endpoint}/*`, trpcBatchLimit(endpoint, deps.limits.trpcMaxBatchSize));
    app.use(`${endpoint}/*`, trpcBodyLimit(deps.limits.trpcMaxBodyBytes));
    app.all(`${endpoint}/*`, (c) =>
      fetchRequestHandler({
        endpoint,
        req: c.req.raw,
        router,
        maxBatchSize: deps.limits.trpcMaxBatchSize,
        createContext: async ({ req, resHeaders }): Promise<ApiContext> => {
          // Only the admin endpoint looks at the admin cookie (its path keeps it off the others anyway).
          const adminSessionToken = options.admin
            ? readAdminSessionCookie(req.headers.get('cookie'))
            : null;
          return {
            requestId: c.get('requestId'),
            clientIp: clientIpOf(c, deps.trustProxy),
            logger: c.get('logger'),
            deps,
            origin: req.headers.get('origin'),
            userAgent: req.headers.get('user-agent'),
            adminSessionToken,
            adminUser: adminSessionToken
              ? await resolveAdminSession(deps.db, adminSessionToken)
              : null,
            resHeaders,
          };
        },
        onError({ error, path }) {
          if (error.code === 'INTERNAL_SERVER_ERROR' && !isAppError(error.cause)) {
            c.get('logger').error({ err: error.cause ?? error, path }, 'procedure failed');
          }
        },
      }),
    );
  };
  mountTrpc('/trpc', storefrontRouter, { admin: false });
  mountTrpc('/admin/trpc', adminRouter, { admin: true });

  app.notFound((c) =>
    c.json(
      { error: { code: 'NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}.` } },
      404,
    ),
  );

  app.onError((error, c) => {
    const requestId = c.get('requestId');
    if (isAppError(error)) {
      return c.json(
        { error: { code: error.code, message: error.message, requestId } },
        error.httpStatus as 400,
      );
    }
    c.get('logger').error(
      { err: error, method: c.req.method, path: c.req.path },
      'unhandled error',
    );
    return c.json(
      {
        error: {
          code: 'INTERNAL',
          message: `Something went wrong on our side. Quote request id ${requestId} if you contact us.`,
          requestId,
        },
      },
      500,
    );
  });

  return app;
}
