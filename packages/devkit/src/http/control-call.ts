/**
 * The request behind every remote test control of a local server (`/_local/…` routes): JSON in, JSON out, and
 * a non-2xx answer thrown as the server's own error type with the message the server gave.
 */

export type ControlCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function controlCaller(
  baseUrl: string,
  failure: {
    /** The message of a failed call, from the parsed error body (or the raw text when it is not JSON). */
    messageOf(parsed: unknown): string | undefined;
    error(status: number, message: string): Error;
  },
): ControlCall {
  const base = baseUrl.replace(/\/+$/, '');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/_local${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = failure.messageOf(parsed) ?? text;
      throw failure.error(response.status, `${method} /_local${path}: ${message}`);
    }
    return parsed as T;
  };
}
