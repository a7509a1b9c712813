/** Turns what the tRPC client throws into words for the page: the server's own message, or a plain fallback. */
import { TRPCClientError } from '@trpc/client';

const UNREACHABLE = 'The API did not answer. Check that it is running, then try again.';

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    // No data means no answer from the API (down, or a proxy in the way), not an API error.
    if (!data || typeof data !== 'object') return UNREACHABLE;
    const requestId =
      'requestId' in data && typeof data.requestId === 'string' ? data.requestId : null;
    const code = 'code' in data ? data.code : null;
    return code === 'INTERNAL_SERVER_ERROR' && requestId && !error.message.includes(requestId)
      ? `${error.message} (request id ${requestId})`
      : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong. Try again.';
}

/** The tRPC code of an API error (`UNAUTHORIZED`, `FORBIDDEN`, …), or null for anything else. */
export function errorCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return data && typeof data === 'object' && 'code' in data && typeof data.code === 'string'
    ? data.code
    : null;
}
