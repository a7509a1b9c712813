/**
 * `EmailTransport` over the official `@sendgrid/mail` client, with a client instance of its own (never the
 * module's shared singleton) so its API key and base URL cannot leak into or out of other code. Pointed at
 * api.sendgrid.com, or at the local SendGrid-compatible server through `baseUrl`.
 */
import { createRequire } from 'node:module';
import { type MailDataRequired, MailService } from '@sendgrid/mail';
import {
  type EmailAcceptance,
  type EmailAddress,
  EmailPermanentError,
  EmailRetryableError,
  type EmailSendResult,
  type EmailTransport,
  type OutgoingEmail,
} from './email-transport';

export interface SendGridEmailTransportOptions {
  apiKey: string;
  /** Another API host, e.g. the local SendGrid server (`http://127.0.0.1:port`). */
  baseUrl?: string;
  /** Per request; a send that takes longer is abandoned and retryable (default 30 s). */
  timeoutMs?: number;
  /**
   * How long SendGrid's Email Activity may take to show a message it accepted (default 3 minutes): a send
   * in doubt is only repeated once the activity feed has had this long to list it. 0 for the local server.
   */
  activityLagMs?: number;
}

type SendGridClient = Parameters<MailService['setClient']>[0];

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ACTIVITY_LAG_MS = 3 * 60_000;
/** Network failures that happen before a request is written: the message cannot have been accepted. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * `@sendgrid/client` is a dependency of `@sendgrid/mail` rather than of ours, so its `Client` class is loaded
 * from where `@sendgrid/mail` is installed: the same copy the mail service itself uses.
 */
function createSendGridClient(): SendGridClient {
  const mailEntry = createRequire(import.meta.url).resolve('@sendgrid/mail');
  const { Client } = createRequire(mailEntry)('@sendgrid/client') as {
    Client: new () => SendGridClient;
  };
  return new Client();
}

function address(value: EmailAddress): { email: string; name?: string } {
  return value.name ? { email: value.email, name: value.name } : { email: value.email };
}

function toMailData(email: OutgoingEmail): MailDataRequired {
  const common = {
    from: address(email.from),
    to: address(email.to),
    ...(email.replyTo ? { replyTo: address(email.replyTo) } : {}),
    subject: email.subject,
    attachments: email.attachments.map((attachment) => ({
      content: attachment.content.toString('base64'),
      filename: attachment.filename,
      type: attachment.contentType,
      disposition: 'attachment',
    })),
    customArgs: { email_message_id: email.messageId, kind: email.kind },
    categories: [email.kind],
    // The client warns on the console about quotes and ampersands in template data; the data is ours.
    hideWarnings: true,
  };
  if (email.providerTemplate) {
    if (!email.providerTemplate.id.startsWith('d-')) {
      throw new EmailPermanentError(
        `SendGrid template "${email.providerTemplate.id}" is not a dynamic template (d-…); only dynamic templates take template data`,
      );
    }
    return {
      ...common,
      templateId: email.providerTemplate.id,
      dynamicTemplateData: email.providerTemplate.data,
    };
  }
  // SendGrid wants text/plain before text/html, and rejects empty content blocks.
  const content = [
    { type: 'text/plain', value: email.text },
    { type: 'text/html', value: email.html },
  ].filter((block) => block.value.length > 0);
  const [first, ...rest] = content;
  if (!first) throw new EmailPermanentError('The email has neither text nor HTML content');
  return { ...common, content: [first, ...rest] };
}

function headerValue(headers: unknown, name: string): string | null {
  if (headers == null || typeof headers !== 'object') return null;
  const raw =
    typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): unknown }).get(name)
      : (headers as Record<string, unknown>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Retry-After is either delay-seconds or an HTTP date. */
function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const value = headerValue(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** SendGrid's `{ errors: [{ message, field }] }` as one line. */
function providerMessages(body: unknown): string | null {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  const messages = errors
    .map((error: { message?: unknown; field?: unknown }) => {
      if (typeof error?.message !== 'string') return null;
      return typeof error.field === 'string' && error.field !== ''
        ? `${error.message} (${error.field})`
        : error.message;
    })
    .filter((message): message is string => message !== null);
  return messages.length > 0 ? messages.join('; ') : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

interface ResponseErrorShape {
  code: number;
  message: string;
  response: { headers: unknown; body: unknown };
}

function isResponseError(error: unknown): error is ResponseErrorShape {
  const candidate = error as Partial<ResponseErrorShape> | null;
  return (
    typeof candidate?.code === 'number' &&
    typeof candidate.response === 'object' &&
    candidate.response !== null
  );
}

function isNetworkError(error: unknown): error is Error & { code?: unknown } {
  return error instanceof Error && (error as { isAxiosError?: unknown }).isAxiosError === true;
}

export class SendGridEmailTransport implements EmailTransport {
  readonly name = 'sendgrid';
  readonly acceptanceLagMs: number;
  private readonly mail: MailService;
  private readonly client: SendGridClient;
  private readonly apiKey: string;

  constructor(options: SendGridEmailTransportOptions) {
    if (options.apiKey.trim() === '') throw new Error('SendGridEmailTransport needs an API key');
    this.apiKey = options.apiKey;
    this.acceptanceLagMs = options.activityLagMs ?? DEFAULT_ACTIVITY_LAG_MS;
    this.client = createSendGridClient();
    // setApiKey also resets the base URL to SendGrid's, so ours is set after it.
    this.client.setApiKey(options.apiKey);
    if (options.baseUrl) this.client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail = new MailService();
    this.mail.setClient(this.client);
    this.mail.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Looks the message up in SendGrid's Email Activity by the custom arg every send carries. The feed needs
   * the Email Activity add-on and a key allowed to read it; without them SendGrid answers 403 and the
   * outcome stays unknown.
   */
  async findAccepted(messageId: string): Promise<EmailAcceptance> {
    try {
      const [, body] = await this.client.request({
        method: 'GET',
        url: '/v3/messages',
        qs: { limit: 1, query: `unique_args['email_message_id']="${messageId}"` },
      });
      const messages = (body as { messages?: Array<{ msg_id?: unknown }> } | null)?.messages;
      const found = Array.isArray(messages) ? messages[0] : undefined;
      if (!found) return { accepted: false };
      // The feed's msg_id is the X-Message-Id of the send followed by SendGrid's own suffixes.
      const msgId = typeof found.msg_id === 'string' ? found.msg_id : null;
      return { accepted: true, providerMessageId: msgId?.split('.')[0] ?? null };
    } catch (error) {
      if (
        isResponseError(error) &&
        (error.code === 401 || error.code === 403 || error.code === 404)
      ) {
        return {
          accepted: 'unknown',
          reason: this.redact(
            `SendGrid's Email Activity API answered ${error.code}: it needs the Email Activity add-on and an API key with email activity access`,
          ),
        };
      }
      throw this.classify(error);
    }
  }

  async send(email: OutgoingEmail): Promise<EmailSendResult> {
    const data = toMailData(email);
    try {
      const [response] = await this.mail.send(data);
      return { providerMessageId: headerValue(response.headers, 'x-message-id') };
    } catch (error) {
      throw this.classify(error);
    }
  }

  /** Our message never carries the API key, whatever the error text held. */
  private redact(text: string): string {
    return text.split(this.apiKey).join('[redacted]');
  }

  private classify(error: unknown): EmailPermanentError | EmailRetryableError {
    if (isResponseError(error)) {
      const status = error.code;
      const detail = this.redact(providerMessages(error.response.body) ?? error.message ?? '');
      const message = `SendGrid answered ${status}${detail ? `: ${detail}` : ''}`;
      if (status === 429) {
        return new EmailRetryableError(message, status, retryAfterMs(error.response.headers), {
          cause: error,
        });
      }
      if (status >= 500) {
        return new EmailRetryableError(message, status, undefined, { cause: error });
      }
      return new EmailPermanentError(message, status, { cause: error });
    }
    if (isNetworkError(error)) {
      // Not kept as the cause: the client's network errors carry the request, Authorization header included.
      const code = typeof error.code === 'string' ? error.code : null;
      return new EmailRetryableError(
        this.redact(`Could not reach SendGrid${code ? ` (${code})` : ''}: ${error.message}`),
        undefined,
        undefined,
        { mayHaveBeenAccepted: code === null || !NOT_SENT_CODES.has(code) },
      );
    }
    // The client rejected the message before sending it (e.g. a malformed field): sending again cannot help.
    const message = error instanceof Error ? error.message : String(error);
    return new EmailPermanentError(this.redact(`SendGrid client refused the message: ${message}`));
  }
}
