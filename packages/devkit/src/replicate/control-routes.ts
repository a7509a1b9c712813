/**
 * The test controls over HTTP, for tests running in another process: JSON in, JSON out, under `/_local/…`,
 * without the API token. `control-client.ts` is the typed client for these routes.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { LocalReplicateControls } from './controls';
import { ReplicateApiError } from './errors';
import { ZLocalReplicateOutcome } from './outcomes';

export const ZQueueOutcomeInput = z.object({
  outcome: ZLocalReplicateOutcome,
  times: z.number().int().min(1).max(1000).optional(),
});
export const ZModelOutcomeInput = z.object({
  model: z.string().min(1),
  outcome: ZLocalReplicateOutcome.nullable(),
});
const ZTimeoutMs = z.coerce.number().int().min(1).max(600_000).optional();

function controlError(status: number, detail: string): ReplicateApiError {
  return new ReplicateApiError({ status, title: 'Control request failed', detail });
}

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw controlError(400, 'The control body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw controlError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

export function registerControlRoutes(app: Hono, controls: LocalReplicateControls): void {
  const control = (
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    run: (c: Context) => Promise<unknown> | unknown,
  ) => {
    app.on(method, path, async (c) => {
      try {
        const result = await run(c);
        return c.json(result ?? { ok: true });
      } catch (error) {
        if (error instanceof ReplicateApiError) return error.toResponse();
        // A settle wait that timed out, for example: the caller's mistake or its timing, not ours.
        return controlError(
          409,
          error instanceof Error ? error.message : String(error),
        ).toResponse();
      }
    });
  };

  control('POST', '/_local/outcomes/queue', async (c) => {
    const { outcome, times } = await jsonBody(c, ZQueueOutcomeInput);
    controls.queueOutcome(outcome, times === undefined ? {} : { times });
  });
  control('PUT', '/_local/outcomes/model', async (c) => {
    const { model, outcome } = await jsonBody(c, ZModelOutcomeInput);
    controls.setModelOutcome(model, outcome ?? undefined);
  });
  control('GET', '/_local/predictions', () => controls.predictions());
  control('GET', '/_local/predictions/:id/settled', async (c) => {
    const timeoutMs = ZTimeoutMs.safeParse(c.req.query('timeoutMs'));
    if (!timeoutMs.success) throw controlError(400, 'timeoutMs must be 1–600000.');
    return controls.waitForSettled(
      c.req.param('id') ?? '',
      timeoutMs.data === undefined ? {} : { timeoutMs: timeoutMs.data },
    );
  });
  control('POST', '/_local/predictions/:id/expire-output', (c) =>
    controls.expireOutput(c.req.param('id') ?? ''),
  );
  control('GET', '/_local/deliveries', () => controls.deliveries());
  control('GET', '/_local/deliveries/idle', () => controls.deliveriesIdle());
  control('POST', '/_local/reset', () => controls.reset());
}
