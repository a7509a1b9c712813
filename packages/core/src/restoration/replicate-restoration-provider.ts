/**
 * `RemoteRestorationProvider` over the official `replicate` client. The client is built in the composition
 * root: pointed at api.replicate.com with a real token, or at the local Replicate-compatible server.
 */
import type Replicate from 'replicate';
import type { ApiError, WebhookEventType } from 'replicate';
import { parseReplicatePrediction } from './replicate-prediction';
import {
  type CreatePredictionInput,
  type FindPredictionInput,
  imageUrlFingerprint,
  type Prediction,
  type RemoteRestorationProvider,
  RestorationPermanentError,
  RestorationRetryableError,
} from './restoration-provider';

export interface ReplicateRestorationProviderOptions {
  client: Replicate;
  /**
   * Price per second of prediction time in millionths of a US dollar, by `owner/name` (any version) or
   * `owner/name:version` (that version only).
   */
  costMicrosPerSecond?: Record<string, number>;
  /** Limit for one API call (create, get, cancel); 30 s by default. */
  requestTimeoutMs?: number;
  /** Limit for downloading one output, body included; 120 s by default. */
  downloadTimeoutMs?: number;
  /** What outputs are downloaded with; `globalThis.fetch` by default. */
  fetch?: typeof fetch;
  /**
   * Most pages (100 predictions each, newest first) `findPrediction` reads before it gives up; 20 by default.
   * Only the predictions made since the interrupted request are read, so a page or two is usual.
   */
  findMaxPages?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;
const DEFAULT_FIND_MAX_PAGES = 20;
/** `owner/name` or `owner/name:version`, as `ZRestorationModel` accepts them. */
const MODEL_IDENTIFIER = /^([\w.-]+\/[\w.-]+)(?::(\w+))?$/;
/** Replicate's prediction ids are short lowercase tokens; anything else would change the request path. */
const PREDICTION_ID = /^[\w-]+$/;
const COMPLETED_ONLY: WebhookEventType[] = ['completed'];

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The HTTP answer behind a `replicate` client `ApiError` (the client does not export the class itself). */
function apiErrorResponse(error: unknown): ApiError['response'] | undefined {
  if (!(error instanceof Error) || error.name !== 'ApiError') return undefined;
  const response = (error as Partial<ApiError>).response;
  return response && typeof response.status === 'number' ? response : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

/** A 4xx other than 429 is permanent; 429, 5xx, timeouts and network failures may pass on a later try. */
function classify(error: unknown, what: string, timeoutMs: number): never {
  const response = apiErrorResponse(error);
  if (response) {
    const { status } = response;
    if (status === 429) {
      throw new RestorationRetryableError(
        `${what} was rate limited by Replicate (HTTP 429).`,
        retryAfterMs(response.headers.get('retry-after')),
        { cause: error },
      );
    }
    if (status >= 400 && status < 500) {
      throw new RestorationPermanentError(`${what} was refused by Replicate: ${describe(error)}`, {
        cause: error,
      });
    }
    throw new RestorationRetryableError(
      `${what} failed at Replicate: ${describe(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    throw new RestorationRetryableError(
      `${what} got no answer from Replicate within ${timeoutMs} ms.`,
      undefined,
      { cause: error },
    );
  }
  throw new RestorationRetryableError(
    `${what} could not reach Replicate: ${describe(error)}`,
    undefined,
    {
      cause: error,
    },
  );
}

function parseModel(model: string): { model: string; version: string | undefined } {
  const match = MODEL_IDENTIFIER.exec(model);
  if (!match?.[1]) {
    throw new RestorationPermanentError(
      `The model "${model}" is not a Replicate model identifier (owner/name or owner/name:version).`,
    );
  }
  return { model: match[1], version: match[2] };
}

function assertPredictionId(predictionId: string): void {
  if (!PREDICTION_ID.test(predictionId)) {
    throw new RestorationPermanentError(`"${predictionId}" is not a Replicate prediction id.`);
  }
}

function assertWebhookUrl(webhookUrl: string): void {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new RestorationPermanentError(`The webhook URL "${webhookUrl}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RestorationPermanentError(`The webhook URL "${webhookUrl}" is not an HTTP(S) URL.`);
  }
}

/** No answer, a broken connection or a timeout while downloading: worth another try. */
function downloadFailed(outputUrl: string, timeoutMs: number, error: unknown): never {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  throw new RestorationRetryableError(
    timedOut
      ? `Downloading the output ${outputUrl} took longer than ${timeoutMs} ms.`
      : `Downloading the output ${outputUrl} failed: ${describe(error)}`,
    undefined,
    { cause: error },
  );
}

/** Reads the prediction out of a client answer; a body we cannot read is worth another try. */
function readPrediction(value: unknown, what: string): Prediction {
  try {
    return parseReplicatePrediction(value);
  } catch (error) {
    throw new RestorationRetryableError(
      `${what}: Replicate answered ${describe(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

export class ReplicateRestorationProvider implements RemoteRestorationProvider {
  readonly kind = 'remote';
  readonly name = 'replicate';

  private readonly client: Replicate;
  private readonly costs: ReadonlyMap<string, number>;
  private readonly requestTimeoutMs: number;
  private readonly downloadTimeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly findMaxPages: number;

  constructor(options: ReplicateRestorationProviderOptions) {
    this.client = options.client;
    this.costs = new Map(Object.entries(options.costMicrosPerSecond ?? {}));
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.downloadTimeoutMs = options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.findMaxPages = options.findMaxPages ?? DEFAULT_FIND_MAX_PAGES;
  }

  async createPrediction(input: CreatePredictionInput): Promise<Prediction> {
    const { model, version } = parseModel(input.model);
    if (input.webhookUrl !== undefined) assertWebhookUrl(input.webhookUrl);
    const what = `Creating a prediction of ${input.model}`;
    const request = {
      // The photo goes last so that no extra input from config can replace it.
      input: { ...input.extraInput, [input.imageInputKey ?? 'image']: input.imageUrl },
      ...(input.webhookUrl
        ? { webhook: input.webhookUrl, webhook_events_filter: COMPLETED_ONLY }
        : {}),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    };
    let created: unknown;
    try {
      // A pinned version goes to POST /v1/predictions; `owner/name` to the model's own endpoint.
      created = await this.client.predictions.create(
        version ? { ...request, version } : { ...request, model },
      );
    } catch (error) {
      classify(error, what, this.requestTimeoutMs);
    }
    return readPrediction(created, what);
  }

  async getPrediction(predictionId: string): Promise<Prediction> {
    assertPredictionId(predictionId);
    const what = `Fetching prediction ${predictionId}`;
    let found: unknown;
    try {
      found = await this.client.predictions.get(predictionId, {
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      classify(error, what, this.requestTimeoutMs);
    }
    return readPrediction(found, what);
  }

  async findPrediction(input: FindPredictionInput): Promise<Prediction | undefined> {
    const what = 'Looking for the prediction of an interrupted request';
    const after = input.createdAfter.getTime();
    const signal = AbortSignal.timeout(this.requestTimeoutMs);
    let pages = 0;
    try {
      // GET /v1/predictions: the account's predictions, newest first, with the input each was given.
      for await (const page of this.client.paginate(
        () => this.client.predictions.list({ signal }),
        { signal },
      )) {
        for (const listed of page) {
          if (Date.parse(listed.created_at) < after) return undefined;
          const sent = (listed.input as Record<string, unknown> | undefined)?.[input.imageInputKey];
          if (typeof sent === 'string' && imageUrlFingerprint(sent) === input.imageUrlSha256) {
            return readPrediction(listed, what);
          }
        }
        pages += 1;
        if (pages >= this.findMaxPages) return undefined;
      }
    } catch (error) {
      classify(error, what, this.requestTimeoutMs);
    }
    return undefined;
  }

  async cancelPrediction(predictionId: string): Promise<void> {
    assertPredictionId(predictionId);
    try {
      await this.client.predictions.cancel(predictionId, {
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      classify(error, `Cancelling prediction ${predictionId}`, this.requestTimeoutMs);
    }
  }

  async downloadOutput(outputUrl: string, options: { maxBytes: number }): Promise<Buffer> {
    const signal = AbortSignal.timeout(this.downloadTimeoutMs);
    let response: Response;
    try {
      response = await this.fetch(outputUrl, { signal });
    } catch (error) {
      downloadFailed(outputUrl, this.downloadTimeoutMs, error);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status === 404 || status === 410) {
        throw new RestorationPermanentError(
          `The output is gone (HTTP ${status} from ${outputUrl}): Replicate deletes outputs an hour ` +
            'after the prediction, so a new prediction is needed.',
        );
      }
      if (status === 429 || status >= 500) {
        throw new RestorationRetryableError(
          `Downloading the output ${outputUrl} answered HTTP ${status}.`,
          status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined,
        );
      }
      throw new RestorationPermanentError(
        `Downloading the output ${outputUrl} was refused with HTTP ${status}.`,
      );
    }

    const tooLarge = () =>
      new RestorationPermanentError(
        `The output ${outputUrl} is larger than the ${options.maxBytes}-byte limit.`,
      );
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return Buffer.alloc(0);

    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      const chunk = await reader
        .read()
        .catch((error: unknown) => downloadFailed(outputUrl, this.downloadTimeoutMs, error));
      if (chunk.done) break;
      received += chunk.value.byteLength;
      if (received > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
    return Buffer.concat(chunks, received);
  }

  costMicrosPerSecond(model: string): number | undefined {
    return this.costs.get(model) ?? this.costs.get(model.split(':')[0] ?? model);
  }
}
