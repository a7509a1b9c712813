/**
 * How big each chaos scenario runs. CI runs the small sizes (`vitest run`); `pnpm test:chaos` sets
 * CHAOS_SCALE=full for the sizes the reliability guarantees are stated at. Any one size can be set on its own
 * with its CHAOS_… variable, e.g. CHAOS_WORKER_KILLS=5.
 */
const full = process.env.CHAOS_SCALE === 'full';

function knob(name: string, small: number, fullSize: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return full ? fullSize : small;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  }
  return value;
}

export const chaosScale = {
  name: full ? 'full' : 'ci',
  replayStorm: {
    sessions: knob('CHAOS_REPLAY_SESSIONS', 5, 20),
    deliveriesPerEvent: knob('CHAOS_REPLAY_DELIVERIES', 10, 50),
  },
  workerCrash: {
    orders: knob('CHAOS_WORKER_ORDERS', 8, 50),
    kills: knob('CHAOS_WORKER_KILLS', 2, 20),
    /** The longest random wait, once the worker is up, before it is killed. */
    maxKillDelayMs: knob('CHAOS_WORKER_MAX_KILL_DELAY_MS', 3_000, 3_000),
  },
  databaseRestart: {
    ordersBefore: knob('CHAOS_DATABASE_ORDERS_BEFORE', 3, 10),
    ordersWhileDown: knob('CHAOS_DATABASE_ORDERS_DOWN', 3, 10),
  },
  storageOutage: {
    orders: knob('CHAOS_S3_ORDERS', 3, 6),
    outageSeconds: knob('CHAOS_S3_OUTAGE_SECONDS', 10, 30),
  },
  load: {
    requestsPerSecond: knob('CHAOS_LOAD_RATE', 50, 200),
    seconds: knob('CHAOS_LOAD_SECONDS', 10, 60),
  },
};
