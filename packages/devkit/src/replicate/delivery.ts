/**
 * Webhook delivery as Replicate does it: the prediction JSON POSTed to its `webhook` URL, signed with the
 * account's secret, retried with backoff while the receiver answers non-2xx or not at all. Retries keep the
 * webhook-id (so receivers can deduplicate) and are signed afresh with a new timestamp.
 */
import type { LocalStripeLogger as Logger } from '../stripe/logger';
import { newWebhookId, signWebhook } from './signing';
import type { WebhookEvent } from './store';

export interface DeliveryAttempt {
  webhookId: string;
  predictionId: string;
  event: WebhookEvent;
  url: string;
  /** 1 for the first send, 2, 3… for retries. */
  attempt: number;
  /** The receiver's HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  error: string | null;
  /** ISO time the attempt started. */
  at: string;
  durationMs: number;
}

export interface WebhookMessage {
  predictionId: string;
  event: WebhookEvent;
  url: string;
  /** The prediction JSON as it was when the event happened; every retry sends the same bytes. */
  body: string;
}

export interface WebhookDeliveryOptions {
  secret: string;
  /** Delays in ms before each retry; its length is how many retries follow the first attempt. */
  retryScheduleMs: readonly number[];
  timeoutMs: number;
  logger: Logger;
}

function describeFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
}

export class WebhookDelivery {
  private readonly log: DeliveryAttempt[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Deliveries in flight or waiting for a retry; `idle()` resolves when it reaches zero. */
  private outstanding = 0;
  private idleWaiters: Array<() => void> = [];
  /** Bumped by `reset()`, so answers to sends from before it are neither recorded nor retried. */
  private generation = 0;
  private stopped = false;

  constructor(private readonly options: WebhookDeliveryOptions) {}

  publish(message: WebhookMessage): void {
    if (this.stopped) return;
    this.outstanding += 1;
    void this.run({ ...message, webhookId: newWebhookId() }, 1, this.generation);
  }

  attempts(): DeliveryAttempt[] {
    return [...this.log];
  }

  /** Resolves when nothing is in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets attempts and scheduled retries; sends already in flight are not recorded. */
  reset(): void {
    this.generation += 1;
    this.log.length = 0;
    this.cancelRetries();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetries();
    for (const controller of this.inFlight) {
      controller.abort(new Error('The local Replicate server stopped'));
    }
  }

  private cancelRetries(): void {
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
      this.end();
    }
    this.retryTimers.clear();
  }

  private end(): void {
    this.outstanding -= 1;
    if (this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** One attempt (already counted in `outstanding`), scheduling the next on failure. */
  private async run(
    message: WebhookMessage & { webhookId: string },
    attempt: number,
    generation: number,
  ): Promise<void> {
    try {
      if (generation !== this.generation || this.stopped) return;
      const status = await this.send(message, attempt, generation);
      if (status === undefined || (status !== null && status >= 200 && status < 300)) return;
      const delay = this.options.retryScheduleMs[attempt - 1];
      if (delay === undefined) {
        this.options.logger.error(
          { predictionId: message.predictionId, url: message.url, attempts: attempt },
          'gave up delivering a webhook',
        );
        return;
      }
      this.outstanding += 1;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.run(message, attempt + 1, generation);
      }, delay);
      this.retryTimers.add(timer);
    } finally {
      this.end();
    }
  }

  /** The receiver's status (null: no answer), or undefined when a reset or stop made the answer moot. */
  private async send(
    message: WebhookMessage & { webhookId: string },
    attempt: number,
    generation: number,
  ): Promise<number | null | undefined> {
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    this.inFlight.add(controller);
    const at = new Date();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(message.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Replicate-Webhooks/local',
          ...signWebhook(message.body, this.options.secret, message.webhookId),
        },
        body: message.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (cause) {
      error = describeFailure(controller.signal.aborted ? controller.signal.reason : cause);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation || this.stopped) return undefined;

    this.log.push({
      webhookId: message.webhookId,
      predictionId: message.predictionId,
      event: message.event,
      url: message.url,
      attempt,
      status,
      error,
      at: at.toISOString(),
      durationMs: Date.now() - at.getTime(),
    });
    if (status === null || status < 200 || status >= 300) {
      this.options.logger.warn(
        { predictionId: message.predictionId, url: message.url, attempt, status, error },
        'webhook delivery failed',
      );
    }
    return status;
  }
}
