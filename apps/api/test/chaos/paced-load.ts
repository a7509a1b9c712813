/**
 * An open-loop load generator: requests leave at a steady rate (one every 1000/rate ms), each without waiting
 * for the ones before, as independent visitors arrive. A request's latency counts from the moment it was due,
 * so a generator that falls behind shows up in the figures instead of hiding the server's queue. autocannon's
 * rate limit sends each second's quota at once, in a burst, which measures bursts rather than a rate. With
 * `rampFromRate` the rate climbs evenly from that rate to `rate` over the run: traffic that builds up, as a
 * warm-up before a measured run.
 */
export interface LoadSample {
  kind: string;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

export interface LatencySummary {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  requests: number;
  /** Requests answered 2xx (or 3xx) in time. */
  succeeded: number;
  /** Answered with 4xx/5xx, or not at all; by kind and what went wrong. */
  failures: Array<{ kind: string; status: number | null; error: string | null }>;
  /** Requests sent per second, as the generator managed to send them. */
  offeredRate: number;
  overall: LatencySummary;
  byKind: Record<string, LatencySummary>;
}

function percentile(sorted: number[], fraction: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  return Math.round((value ?? 0) * 10) / 10;
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
  };
}

/** When each request is due, in ms from the start: evenly spaced at a rate that climbs from `from` to `to`. */
export function dueTimes(from: number, to: number, seconds: number): number[] {
  if (from === to)
    return Array.from({ length: Math.round(to * seconds) }, (_, index) => (index * 1000) / to);
  const times: number[] = [];
  const endMs = seconds * 1000;
  for (let at = 0; at < endMs - 1e-9;) {
    times.push(at);
    const rate = from + ((to - from) * at) / endMs;
    at += 1000 / rate;
  }
  return times;
}

export async function pacedLoad(options: {
  rate: number;
  /** Start at this rate and climb evenly to `rate` (default: `rate` all along). */
  rampFromRate?: number;
  seconds: number;
  /** Which kind of request the n-th one is. */
  kindOf: (index: number) => string;
  send: (kind: string) => Promise<Response>;
  timeoutMs: number;
}): Promise<LoadReport> {
  const schedule = dueTimes(options.rampFromRate ?? options.rate, options.rate, options.seconds);
  const started = performance.now();
  const samples: Array<Promise<LoadSample>> = [];
  for (const [index, offset] of schedule.entries()) {
    const due = started + offset;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const kind = options.kindOf(index);
    samples.push(
      (async (): Promise<LoadSample> => {
        try {
          const response = await options.send(kind);
          await response.arrayBuffer();
          return { kind, latencyMs: performance.now() - due, status: response.status, error: null };
        } catch (error) {
          return {
            kind,
            latencyMs: performance.now() - due,
            status: null,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      })(),
    );
  }
  const sendingSeconds = (performance.now() - started) / 1000;
  const done = await Promise.all(samples);
  const ok = (sample: LoadSample) =>
    sample.status !== null &&
    sample.status < 400 &&
    sample.error === null &&
    sample.latencyMs <= options.timeoutMs;
  const kinds = [...new Set(done.map((sample) => sample.kind))];
  return {
    requests: done.length,
    succeeded: done.filter(ok).length,
    failures: done
      .filter((sample) => !ok(sample))
      .map(({ kind, status, error }) => ({ kind, status, error })),
    offeredRate: Math.round((done.length / Math.max(sendingSeconds, 0.001)) * 10) / 10,
    overall: summarize(done.map((sample) => sample.latencyMs)),
    byKind: Object.fromEntries(
      kinds.map((kind) => [
        kind,
        summarize(done.filter((sample) => sample.kind === kind).map((sample) => sample.latencyMs)),
      ]),
    ),
  };
}
