/** `system.ping`: proves the job loop end to end. It can hold the job for a while, so tests can catch it in flight. */
import type { JobHandler } from '../job-handler';

export const handleSystemPing: JobHandler<'system.ping'> = async (data, context) => {
  if (data.holdMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, data.holdMs);
      context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const handledAt = new Date().toISOString();
  context.logger.info({ requestedAt: data.requestedAt, handledAt }, 'pong');
  return { pong: true, requestedAt: data.requestedAt, handledAt };
};
