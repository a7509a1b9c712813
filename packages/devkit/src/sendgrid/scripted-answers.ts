/**
 * Answers a test queues for the next mail sends instead of accepting them: rate limiting, server errors and
 * refusals, each for a given number of requests, consumed oldest first.
 */
import { requestError, type SendGridErrorBody } from './errors';

export type ScriptedAnswer =
  /**
   * Accepts the message (a valid one is kept and listed in Email Activity) but answers only after this long:
   * with a shorter client timeout, the sender cannot know its message went through.
   */
  | { status: 202; answerAfterMs: number }
  /** 429, with `Retry-After` in seconds when given. */
  | { status: 429; retryAfterSeconds?: number }
  /** A SendGrid outage. */
  | { status: 500 | 502 | 503 }
  /** A refusal with SendGrid's error body. */
  | { status: 400 | 401 | 403 | 413; message: string; field?: string | null };

export interface ScriptedResponse {
  status: number;
  headers: Record<string, string>;
  body: SendGridErrorBody;
}

export function toResponse(answer: Exclude<ScriptedAnswer, { status: 202 }>): ScriptedResponse {
  switch (answer.status) {
    case 429:
      return {
        status: 429,
        headers:
          answer.retryAfterSeconds === undefined
            ? {}
            : { 'Retry-After': String(answer.retryAfterSeconds) },
        body: { errors: [requestError('Too many requests')] },
      };
    case 500:
    case 502:
    case 503:
      return {
        status: answer.status,
        headers: {},
        body: { errors: [requestError('Internal server error')] },
      };
    default:
      return {
        status: answer.status,
        headers: {},
        body: {
          errors: [{ message: answer.message, field: answer.field ?? null, help: null }],
        },
      };
  }
}

export class ScriptedAnswers {
  private queue: Array<{ answer: ScriptedAnswer; remaining: number }> = [];

  add(answer: ScriptedAnswer, times: number): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new Error(`A scripted answer needs a positive whole number of times, got ${times}`);
    }
    this.queue.push({ answer, remaining: times });
  }

  /** The answer for this request, if one is queued. */
  take(): ScriptedAnswer | null {
    const next = this.queue[0];
    if (!next) return null;
    next.remaining -= 1;
    if (next.remaining === 0) this.queue.shift();
    return next.answer;
  }

  pending(): number {
    return this.queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  clear(): void {
    this.queue = [];
  }
}
