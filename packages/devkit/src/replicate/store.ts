/**
 * The local server's memory: every prediction in Replicate's JSON shape, how it was told to end, its output
 * file, and a promise that settles when it reaches a final status.
 */
import { notFound } from './errors';
import type { LocalReplicateOutcome } from './outcomes';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';

/** A prediction as Replicate's API answers it and its webhooks send it. */
export interface PredictionObject {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  output: string | string[] | null;
  error: string | null;
  status: PredictionStatus;
  logs: string;
  metrics: { predict_time?: number; total_time?: number };
  source: 'api';
  data_removed: boolean;
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string };
}

export interface OutputFile {
  body: Buffer;
  contentType: string;
  /** Answers 404 from now on, as Replicate's outputs do an hour after the prediction. */
  gone: boolean;
}

export interface PredictionRecord {
  prediction: PredictionObject;
  outcome: LocalReplicateOutcome;
  /** Stops the running work when the prediction is cancelled or the server resets or stops. */
  abort: AbortController;
  output: OutputFile | null;
  settled: Promise<void>;
  markSettled(): void;
}

export function isFinal(status: PredictionStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

export class PredictionStore {
  private readonly records = new Map<string, PredictionRecord>();

  add(prediction: PredictionObject, outcome: LocalReplicateOutcome): PredictionRecord {
    let markSettled = () => {};
    const settled = new Promise<void>((resolve) => {
      markSettled = resolve;
    });
    const record: PredictionRecord = {
      prediction,
      outcome,
      abort: new AbortController(),
      output: null,
      settled,
      markSettled,
    };
    this.records.set(prediction.id, record);
    return record;
  }

  find(id: string): PredictionRecord | undefined {
    return this.records.get(id);
  }

  get(id: string): PredictionRecord {
    const record = this.records.get(id);
    if (!record) throw notFound(`Prediction ${id} was not found.`);
    return record;
  }

  all(): PredictionRecord[] {
    return [...this.records.values()];
  }

  /** Stops every running prediction and forgets them all. */
  reset(reason: string): void {
    for (const record of this.records.values()) record.abort.abort(new Error(reason));
    this.records.clear();
  }
}
