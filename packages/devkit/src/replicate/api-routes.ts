/**
 * The Replicate HTTP API subset our provider calls, behind a bearer token: create (by model or by version),
 * get, list, cancel, the webhook secret; and the output files, which like replicate.delivery need no token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { invalidRequest, notFound, ReplicateApiError } from './errors';
import {
  cancelPrediction,
  createPrediction,
  type CreatePredictionRequest,
  type ReplicateContext,
  versionOf,
} from './predictions';
import type { PredictionRecord } from './store';

const MODEL_NAME = /^[\w.-]+\/[\w.-]+$/;
const PINNED_VERSION = /^([\w.-]+\/[\w.-]+):(\w+)$/;
const VERSION_ID = /^\w+$/;
/** Replicate holds a `Prefer: wait` request for at most a minute. */
const MAX_WAIT_SECONDS = 60;

const ZCreateBody = z.object({
  input: z.record(z.string(), z.unknown()),
  version: z.string().min(1).optional(),
  webhook: z.url({ protocol: /^https?$/ }).optional(),
  webhook_events_filter: z.array(z.enum(['start', 'output', 'logs', 'completed'])).optional(),
  stream: z.boolean().optional(),
});

function unauthenticated(detail: string): Response {
  return new ReplicateApiError({ status: 401, title: 'Unauthenticated', detail }).toResponse();
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function createBody(c: Context): Promise<z.infer<typeof ZCreateBody>> {
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new ReplicateApiError({
      status: 400,
      title: 'Bad request',
      detail: 'The request body is not valid JSON.',
    });
  }
  const parsed = ZCreateBody.safeParse(value);
  if (!parsed.success) throw invalidRequest(z.prettifyError(parsed.error));
  return parsed.data;
}

/** `owner/name:version`, `owner/name` or a bare version id, as `POST /v1/predictions` accepts. */
function modelAndVersion(version: string): { model: string; version: string } {
  const pinned = PINNED_VERSION.exec(version);
  if (pinned?.[1] && pinned[2]) return { model: pinned[1], version: pinned[2] };
  if (MODEL_NAME.test(version)) return { model: version, version: versionOf(version) };
  // A bare id names no model here: the local server keeps no catalogue of versions.
  if (VERSION_ID.test(version)) return { model: 'local/unknown-model', version };
  throw invalidRequest(`version: "${version}" is not a model version identifier.`);
}

/** Seconds asked for by `Prefer: wait` or `Prefer: wait=n`, or undefined when not asked. */
function preferWaitSeconds(header: string | undefined): number | undefined {
  const match = header ? /(?:^|[\s,;])wait(?:=(\d+))?(?=$|[\s,;])/i.exec(header) : null;
  if (!match) return undefined;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Number(match[1] ?? MAX_WAIT_SECONDS)));
}

async function settledOrAfter(record: PredictionRecord, seconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    record.settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, seconds * 1000);
    }),
  ]);
  clearTimeout(timer);
}

export function registerApiRoutes(
  app: Hono,
  deps: { context: ReplicateContext; apiToken: string; webhookSecret: string },
): void {
  const { context } = deps;

  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization')?.trim();
    const match = header ? /^(?:Bearer|Token)\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return unauthenticated('You did not pass an authentication token');
    if (!sameToken(match[1], deps.apiToken)) {
      return unauthenticated('You did not pass a valid authentication token');
    }
    await next();
  });

  const create = async (
    c: Context,
    body: z.infer<typeof ZCreateBody>,
    target: { model: string; version: string },
  ) => {
    const request: CreatePredictionRequest = {
      ...target,
      input: body.input,
      ...(body.webhook ? { webhook: body.webhook } : {}),
      ...(body.webhook_events_filter ? { webhook_events_filter: body.webhook_events_filter } : {}),
    };
    const record = createPrediction(context, request);
    const waitSeconds = preferWaitSeconds(c.req.header('prefer'));
    if (waitSeconds !== undefined) await settledOrAfter(record, waitSeconds);
    return c.json(record.prediction, 201);
  };

  app.post('/v1/models/:owner/:name/predictions', async (c) => {
    const model = `${c.req.param('owner')}/${c.req.param('name')}`;
    if (!MODEL_NAME.test(model)) throw notFound(`Model ${model} was not found.`);
    return create(c, await createBody(c), { model, version: versionOf(model) });
  });

  app.post('/v1/predictions', async (c) => {
    const body = await createBody(c);
    if (!body.version) {
      throw invalidRequest('version: required (owner/name, owner/name:version or a version id).');
    }
    return create(c, body, modelAndVersion(body.version));
  });

  // The account's predictions, newest first, a page at a time; `next` continues after the page's last one.
  app.get('/v1/predictions', (c) => {
    const newestFirst = context.store.all().reverse();
    const cursor = c.req.query('cursor');
    const start = cursor
      ? newestFirst.findIndex((record) => record.prediction.id === cursor) + 1
      : 0;
    if (cursor && start === 0)
      throw invalidRequest(`cursor: "${cursor}" is not a page of this list.`);
    const page = newestFirst.slice(start, start + context.listPageSize);
    const last = page.at(-1);
    const more = last !== undefined && start + page.length < newestFirst.length;
    return c.json({
      previous: null,
      next: more
        ? `${context.publicUrl()}/v1/predictions?cursor=${encodeURIComponent(last.prediction.id)}`
        : null,
      results: page.map((record) => record.prediction),
    });
  });

  app.get('/v1/predictions/:id', (c) => c.json(context.store.get(c.req.param('id')).prediction));

  app.post('/v1/predictions/:id/cancel', (c) =>
    c.json(cancelPrediction(context, c.req.param('id')).prediction),
  );

  app.get('/v1/webhooks/default/secret', (c) => c.json({ key: deps.webhookSecret }));

  app.all('/v1/*', () => {
    throw notFound('The local Replicate server does not serve this route.');
  });

  app.get('/files/:id/output.png', (c) => {
    const output = context.store.find(c.req.param('id'))?.output;
    if (!output || output.gone) return c.text('Not found', 404);
    return new Response(new Uint8Array(output.body), {
      headers: {
        'content-type': output.contentType,
        'content-length': String(output.body.length),
      },
    });
  });
}
