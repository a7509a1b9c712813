/**
 * Enqueueing from core: services add jobs inside the same transaction as the rows those jobs act on, so a
 * crash never leaves one without the other. pg-boss runs on our own database through its Kysely adapter.
 */
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Database, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { describeValidationError } from '../errors/describe-validation-error';
import { deadLetterQueueOf, type QueueName, type QueuePayload, QUEUES } from './queue-registry';

export interface EnqueueOptions {
  /** At most one queued job with this key exists at a time (e.g. one per order). */
  singletonKey?: string;
  startAfter?: Date | number;
}

export interface JobQueue {
  /** Adds a job; pass a transaction as `db` to make it part of that transaction. */
  enqueue<Name extends QueueName>(
    db: Kysely<Database>,
    name: Name,
    payload: QueuePayload<Name>,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /**
   * Puts a job straight into `name`'s dead-letter queue, for work our own code gave up on (an image that every
   * attempt failed): admins see it beside the jobs pg-boss dead-lettered, and can send it back.
   */
  deadLetter<Name extends QueueName>(
    db: Kysely<Database>,
    name: Name,
    payload: QueuePayload<Name>,
    reason: string,
  ): Promise<string | null>;
}

/** Validates a payload against its queue's schema, with an error that names the queue and field. */
export function parsePayload<Name extends QueueName>(name: Name, payload: unknown) {
  const result = QUEUES[name].schema.safeParse(payload);
  if (!result.success) {
    throw new AppError(
      'INVALID_INPUT',
      `Invalid ${name} job payload (${describeValidationError(result.error)}).`,
    );
  }
  return result.data;
}

export class PgBossJobQueue implements JobQueue {
  constructor(private readonly boss: PgBoss) {}

  async enqueue<Name extends QueueName>(
    db: Kysely<Database>,
    name: Name,
    payload: QueuePayload<Name>,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    const data = parsePayload(name, payload) as object;
    return this.boss.send(name, data, {
      db: fromKysely(db),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
    });
  }

  async deadLetter<Name extends QueueName>(
    db: Kysely<Database>,
    name: Name,
    payload: QueuePayload<Name>,
    reason: string,
  ): Promise<string | null> {
    const data = parsePayload(name, payload) as object;
    return this.boss.send(deadLetterQueueOf(name), { ...data, reason }, { db: fromKysely(db) });
  }
}

/** Creates every queue with its policy and dead-letter queue; updates the policy of queues that exist. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const definition of Object.values(QUEUES)) {
    const deadLetter = deadLetterQueueOf(definition.name as QueueName);
    if (!existing.has(deadLetter)) {
      await boss.createQueue(deadLetter, { retentionSeconds: 30 * 24 * 60 * 60 });
    }
    // updateQueue cannot change these two; they apply to queues created from now on.
    const { heartbeatSeconds: _heartbeat, retryDelayMax: _delayMax, ...policy } = definition.policy;
    if (existing.has(definition.name)) {
      await boss.updateQueue(definition.name, { ...policy, deadLetter, notify: true });
    } else {
      await boss.createQueue(definition.name, {
        ...definition.policy,
        deadLetter,
        notify: true,
      });
    }
  }
}
