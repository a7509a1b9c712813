/** Bounded polling for background work: resolves with the first truthy value, or fails with what it waited for. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeout?: number; interval?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 25;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `Timed out after ${timeout} ms waiting for ${options.message ?? 'condition'}${detail}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
