/**
 * Webhook delivery as Stripe does it: every event is POSTed as JSON to each endpoint subscribed to its type,
 * signed (`Stripe-Signature`), after the API call that caused it has answered. A non-2xx answer (redirects
 * included) or no answer is retried on a backoff schedule; every attempt is recorded. Tests can hold
 * deliveries and release them out of order, send events in a chosen order, or send one event many times at
 * once.
 */
import type { LocalStripeLogger } from './logger';
import { signPayload } from './signing';
import type { EventRecord } from './store';

export interface WebhookTarget {
  endpointId: string;
  url: string;
  secret: string;
  /** Event types the endpoint wants; `*` for all. */
  enabledEvents: readonly string[];
}

export type DeliveryTrigger = 'automatic' | 'redeliver' | 'in_order';

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  /** Automatic deliveries count 1, 2, 3… through their retries; every manual send is attempt 1. */
  attempt: number;
  trigger: DeliveryTrigger;
  /** The endpoint's HTTP status, or null when no answer came (refused, reset, timed out). */
  status: number | null;
  error: string | null;
  at: Date;
  durationMs: number;
}

export interface WebhookDeliveryOptions {
  targets: () => readonly WebhookTarget[];
  /** Delays in ms before each retry; its length is how many retries follow the first attempt. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  logger: LocalStripeLogger;
}

interface Queued {
  record: EventRecord;
  target: WebhookTarget;
}

function succeeded(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

function describeFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** The listed events first, in the order given, then the rest in the order they happened. */
function orderedBy(queue: readonly Queued[], eventIds: readonly string[]): Queued[] {
  const first = eventIds.flatMap((id) => queue.filter((item) => item.record.event.id === id));
  return [...first, ...queue.filter((item) => !first.includes(item))];
}

export class WebhookDelivery {
  private readonly log: DeliveryAttempt[] = [];
  private held: Queued[] | null = null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Endpoints that have not yet answered an event with a 2xx: what `pending_webhooks` counts. */
  private readonly pending = new Map<string, Set<string>>();
  /** Deliveries queued, in flight or waiting for a retry; `idle()` resolves when it reaches zero. */
  private outstanding = 0;
  private idleWaiters: Array<() => void> = [];
  /** Bumped by `reset()`, so answers to sends from before it are neither recorded nor retried. */
  private generation = 0;
  private stopped = false;

  constructor(private readonly options: WebhookDeliveryOptions) {}

  targetsFor(eventType: string): WebhookTarget[] {
    return this.options
      .targets()
      .filter(
        (target) => target.enabledEvents.includes('*') || target.enabledEvents.includes(eventType),
      );
  }

  /** Sends a new event to `targets`, or queues it while deliveries are held. */
  publish(record: EventRecord, targets: readonly WebhookTarget[]): void {
    if (targets.length === 0) return;
    this.pending.set(record.event.id, new Set(targets.map((target) => target.endpointId)));
    for (const target of targets) {
      if (this.held) {
        this.held.push({ record, target });
      } else {
        this.begin();
        void this.runAutomatic({ record, target }, 1, this.generation);
      }
    }
  }

  hold(): void {
    this.held ??= [];
  }

  /**
   * Stops holding and sends what was queued: in the order it happened, shuffled, or with the given events
   * first. First attempts go one after another, so the receiver sees that order; retries follow on their
   * schedule. Resolves when every first attempt has been answered.
   */
  async release(options: { shuffle?: boolean; order?: readonly string[] } = {}): Promise<void> {
    const queue = this.held ?? [];
    this.held = null;
    const ordered = options.order
      ? orderedBy(queue, options.order)
      : options.shuffle
        ? shuffled(queue)
        : queue;
    const generation = this.generation;
    for (let count = 0; count < ordered.length; count += 1) this.begin();
    for (const item of ordered) await this.runAutomatic(item, 1, generation);
  }

  /** Sends one event `times` times to each subscribed endpoint, all at once unless `concurrent` is false. */
  async redeliver(
    record: EventRecord,
    options: { times?: number; concurrent?: boolean } = {},
  ): Promise<DeliveryAttempt[]> {
    const times = options.times ?? 1;
    const targets = this.targetsFor(record.event.type);
    const sends = targets.flatMap((target) => Array.from({ length: times }, () => target));
    const generation = this.generation;
    if (options.concurrent === false) {
      const attempts: DeliveryAttempt[] = [];
      for (const target of sends) {
        const attempt = await this.sendCounted({ record, target }, 'redeliver', generation);
        if (attempt) attempts.push(attempt);
      }
      return attempts;
    }
    const attempts = await Promise.all(
      sends.map((target) => this.sendCounted({ record, target }, 'redeliver', generation)),
    );
    return attempts.filter((attempt) => attempt !== null);
  }

  /**
   * Sends the events one after another in exactly this order (each answered before the next is sent), once
   * each, without retries. Held copies of these events are taken off the queue.
   */
  async deliverInOrder(records: readonly EventRecord[]): Promise<DeliveryAttempt[]> {
    const ids = new Set(records.map((record) => record.event.id));
    if (this.held) this.held = this.held.filter((item) => !ids.has(item.record.event.id));
    const generation = this.generation;
    const attempts: DeliveryAttempt[] = [];
    for (const record of records) {
      for (const target of this.targetsFor(record.event.type)) {
        const attempt = await this.sendCounted({ record, target }, 'in_order', generation);
        if (attempt) attempts.push(attempt);
      }
    }
    return attempts;
  }

  attempts(): DeliveryAttempt[] {
    return [...this.log];
  }

  /** Resolves when nothing is in flight or waiting for a retry (held events do not count). */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets attempts, held events and scheduled retries; sends already in flight are not recorded. */
  reset(): void {
    this.generation += 1;
    this.log.length = 0;
    this.pending.clear();
    if (this.held) this.held = [];
    this.cancelRetries();
  }

  stop(): void {
    this.stopped = true;
    this.held = null;
    this.cancelRetries();
    for (const controller of this.inFlight)
      controller.abort(new Error('The local Stripe server stopped'));
  }

  private cancelRetries(): void {
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
      this.end();
    }
    this.retryTimers.clear();
  }

  private begin(): void {
    this.outstanding += 1;
  }

  private end(): void {
    this.outstanding -= 1;
    if (this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private current(generation: number): boolean {
    return generation === this.generation && !this.stopped;
  }

  /** One automatic attempt (already counted in `outstanding`), scheduling the next on failure. */
  private async runAutomatic(item: Queued, attempt: number, generation: number): Promise<void> {
    try {
      if (!this.current(generation)) return;
      const result = await this.send(item, attempt, 'automatic', generation);
      if (!result || succeeded(result.status)) return;
      const delay = this.options.retrySchedule[attempt - 1];
      if (delay === undefined) {
        this.options.logger.error(
          { eventId: item.record.event.id, url: item.target.url, attempts: attempt },
          'gave up delivering a webhook',
        );
        return;
      }
      this.begin();
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.runAutomatic(item, attempt + 1, generation);
      }, delay);
      this.retryTimers.add(timer);
    } finally {
      this.end();
    }
  }

  private async sendCounted(
    item: Queued,
    trigger: DeliveryTrigger,
    generation: number,
  ): Promise<DeliveryAttempt | null> {
    this.begin();
    try {
      return this.current(generation) ? await this.send(item, 1, trigger, generation) : null;
    } finally {
      this.end();
    }
  }

  private async send(
    { record, target }: Queued,
    attempt: number,
    trigger: DeliveryTrigger,
    generation: number,
  ): Promise<DeliveryAttempt | null> {
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
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signPayload(record.payload, target.secret),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: record.payload,
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
    if (!this.current(generation)) return null;

    const result: DeliveryAttempt = {
      eventId: record.event.id,
      eventType: record.event.type,
      endpointId: target.endpointId,
      url: target.url,
      attempt,
      trigger,
      status,
      error,
      at,
      durationMs: Date.now() - at.getTime(),
    };
    this.log.push(result);
    if (succeeded(status)) {
      const waiting = this.pending.get(record.event.id);
      if (waiting?.delete(target.endpointId)) record.event.pending_webhooks = waiting.size;
    } else {
      this.options.logger.warn(
        {
          eventId: record.event.id,
          type: record.event.type,
          url: target.url,
          attempt,
          status,
          error,
        },
        'webhook delivery failed',
      );
    }
    return result;
  }
}
