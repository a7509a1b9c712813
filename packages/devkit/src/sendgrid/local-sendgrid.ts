/**
 * A local SendGrid-compatible server for tests and development: `POST /v3/mail/send` with SendGrid's bearer
 * key check, body validation, 30 MB size limit and error shapes, reached through the real `@sendgrid/mail`
 * client (base URL set to `url`), the Email Activity search (`GET /v3/messages`) over what it accepted, and
 * `GET /v3/scopes` (what health checks ask).
 * It keeps every request it receives, and tests can script failures.
 *
 * State lives in memory: nothing is delivered anywhere, and a restart forgets every message.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { activityRows, matches, parseActivityQuery } from './email-activity';
import { requestError, type SendGridErrorItem } from './errors';
import { type ScriptedAnswer, ScriptedAnswers, toResponse } from './scripted-answers';
import { type ReceivedMail, validateMailSend } from './validate-mail-send';
import { listen } from '../http/listen';

export interface LocalSendGridOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The one key the server accepts (default `SG.local.restoreclick`). */
  apiKey?: string;
  /** SendGrid's limit on a whole message, headers, body and attachments included: 30 MB. */
  maxMessageBytes?: number;
  /** A line per request, for a terminal. */
  log?: (line: string) => void;
  /**
   * Whether the account has the Email Activity add-on (default true). Without it `GET /v3/messages` answers
   * 403, as SendGrid does.
   */
  emailActivity?: boolean;
}

/** One request to `POST /v3/mail/send` and what the server answered. */
export interface ReceivedMessage {
  /** The status we answered with: 202 when accepted. */
  status: number;
  /** The `X-Message-Id` of an accepted message; null otherwise. */
  messageId: string | null;
  receivedAt: Date;
  /** The JSON body as sent; null when unauthorized, too large or not JSON. */
  body: unknown;
  /** The body as a typed message with decoded attachments, when it passed validation. */
  mail: ReceivedMail | null;
  /** The errors we answered with; empty when accepted. */
  errors: SendGridErrorItem[];
}

export interface LocalSendGrid {
  /** `http://host:port`: the base URL to give the SendGrid client. */
  url: string;
  host: string;
  port: number;
  /** The key the server accepts. */
  apiKey: string;
  /**
   * The next `times` (default 1) mail sends that pass the key and size checks get this answer instead of
   * being accepted or validated; answers queued one after another are used in order.
   */
  scriptAnswer(answer: ScriptedAnswer, options?: { times?: number }): void;
  /** Scripted answers not used yet. */
  pendingScriptedAnswers(): number;
  /** Every mail send request so far, oldest first. */
  messages(): ReceivedMessage[];
  /** Switches the Email Activity add-on on or off (see `LocalSendGridOptions.emailActivity`). */
  setEmailActivity(enabled: boolean): void;
  /** Forgets received messages and scripted answers. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_API_KEY = 'SG.local.restoreclick';
const DEFAULT_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

/**
 * Reads the whole body but keeps at most `maxBytes`: the rest is drained, not stored, so an oversized
 * upload finishes and the client reads our 413 instead of a reset connection.
 */
async function readBody(
  request: Request,
  maxBytes: number,
): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  if (!request.body) return { bytes: Buffer.alloc(0), tooLarge: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size <= maxBytes) chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > maxBytes };
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function bearerKey(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export async function startLocalSendGrid(
  options: LocalSendGridOptions = {},
): Promise<LocalSendGrid> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const log = options.log ?? (() => {});
  const scripted = new ScriptedAnswers();
  let received: ReceivedMessage[] = [];
  let emailActivity = options.emailActivity ?? true;

  const answer = (
    c: Context,
    record: Omit<ReceivedMessage, 'status' | 'messageId' | 'errors' | 'receivedAt'>,
    status: 400 | 401 | 403 | 413 | 429 | 500 | 502 | 503,
    errors: SendGridErrorItem[],
    headers: Record<string, string> = {},
  ) => {
    received.push({ ...record, status, messageId: null, errors, receivedAt: new Date() });
    log(`mail send answered ${status}: ${errors.map((error) => error.message).join('; ')}`);
    return c.json({ errors }, status, headers);
  };

  const app = new Hono();
  app.post('/v3/mail/send', async (c) => {
    const { bytes, tooLarge } = await readBody(c.req.raw, maxMessageBytes);
    const key = bearerKey(c.req.header('authorization'));
    if (key === null) {
      return answer(c, { body: null, mail: null }, 401, [requestError('authorization required')]);
    }
    if (key !== apiKey) {
      return answer(c, { body: null, mail: null }, 401, [
        requestError('The provided authorization grant is invalid, expired, or revoked'),
      ]);
    }
    if (tooLarge) {
      return answer(c, { body: null, mail: null }, 413, [
        requestError(
          `The total size of your message, including headers, body and attachments, may not exceed ${maxMessageBytes} bytes (30 MB).`,
        ),
      ]);
    }
    const parsed = parseJson(bytes);
    const body = parsed.ok ? parsed.value : null;
    const validation = parsed.ok ? validateMailSend(parsed.value) : null;
    const mail = validation?.ok ? validation.mail : null;

    const script = scripted.take();
    if (script && script.status !== 202) {
      const response = toResponse(script);
      return answer(c, { body, mail }, script.status, response.body.errors, response.headers);
    }
    if (!validation) {
      return answer(c, { body, mail }, 400, [
        requestError('Bad Request: the body is not valid JSON.'),
      ]);
    }
    if (!validation.ok) return answer(c, { body, mail }, 400, validation.errors);

    const messageId = randomBytes(16).toString('base64url');
    received.push({ status: 202, messageId, receivedAt: new Date(), body, mail, errors: [] });
    if (script?.status === 202) {
      await new Promise((resolve) => setTimeout(resolve, script.answerAfterMs));
    }
    log(
      `mail send accepted ${messageId}: to ${validation.mail.personalizations
        .flatMap((item) => item.to.map((to) => to.email))
        .join(', ')} "${validation.mail.subject ?? validation.mail.templateId ?? ''}"`,
    );
    return c.body(null, 202, { 'X-Message-Id': messageId });
  });
  app.get('/v3/messages', (c) => {
    const key = bearerKey(c.req.header('authorization'));
    if (key !== apiKey) {
      return c.json({ errors: [requestError('authorization required')] }, 401);
    }
    if (!emailActivity) {
      return c.json({ errors: [requestError('access forbidden')] }, 403);
    }
    const limit = Number(c.req.query('limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return c.json({ errors: [requestError('limit must be a whole number from 1 to 1000')] }, 400);
    }
    let terms: ReturnType<typeof parseActivityQuery>;
    try {
      terms = parseActivityQuery(c.req.query('query') ?? '');
    } catch (error) {
      return c.json({ errors: [requestError((error as Error).message)] }, 400);
    }
    const found = received
      .flatMap((message) =>
        message.status === 202 && message.messageId && message.mail
          ? activityRows({
              messageId: message.messageId,
              receivedAt: message.receivedAt,
              mail: message.mail,
            })
          : [],
      )
      .filter((entry) => matches(entry, terms))
      .reverse()
      .slice(0, limit)
      .map((entry) => entry.row);
    log(`email activity query ${c.req.query('query') ?? ''}: ${found.length} found`);
    return c.json({ messages: found });
  });
  // The scopes of the key: any valid key may ask, so it is how a health check proves the key works.
  app.get('/v3/scopes', (c) => {
    if (bearerKey(c.req.header('authorization')) !== apiKey) {
      return c.json({ errors: [requestError('authorization required')] }, 401);
    }
    return c.json({ scopes: ['mail.send', ...(emailActivity ? ['messages.read'] : [])] });
  });
  app.notFound((c) => c.json({ errors: [requestError('not found')] }, 404));
  app.onError((error, c) => {
    log(`the local SendGrid server failed a request: ${error.message}`);
    return c.json({ errors: [requestError('Internal server error')] }, 500);
  });

  const server = createServer(getRequestListener(app.fetch));
  const port = await listen(server, options.port ?? 0, host, 'local SendGrid server');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`local SendGrid server listening on ${url}`);

  return {
    url,
    host,
    port,
    apiKey,
    scriptAnswer: (scriptedAnswer, scriptOptions = {}) =>
      scripted.add(scriptedAnswer, scriptOptions.times ?? 1),
    pendingScriptedAnswers: () => scripted.pending(),
    messages: () => [...received],
    setEmailActivity(enabled) {
      emailActivity = enabled;
    },
    reset() {
      received = [];
      scripted.clear();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
