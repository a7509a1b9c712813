/** Turns what the SDK throws into words for the page: the API's own message, or a plain fallback. */
import { isRestoreClickError, isUploadError } from '@restoreclick/sdk';

const UNREACHABLE = 'We could not reach RestoreClick. Check your connection and try again.';

export function errorMessage(error: unknown): string {
  if (isUploadError(error)) return error.code === 'NETWORK' ? UNREACHABLE : error.message;
  if (isRestoreClickError(error)) {
    // No data means no answer from the API (offline, or a proxy in the way), not an API error.
    if (!error.data) return UNREACHABLE;
    const requestId = error.data.requestId;
    return error.data.code === 'INTERNAL_SERVER_ERROR' && requestId
      ? `${error.message} (reference ${requestId})`
      : error.message;
  }
  return 'Something went wrong. Please try again.';
}

/** The API's per-field message for `field`, when the input did not validate. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!isRestoreClickError(error)) return undefined;
  const first = error.data?.fieldErrors?.[field]?.[0];
  if (first) return first;
  const details = error.data?.details;
  return details?.field === field ? error.message : undefined;
}

/** True when the API says nothing matches what we asked for (an unknown order link, say). */
export function isNotFound(error: unknown): boolean {
  return isRestoreClickError(error) && error.data?.code === 'NOT_FOUND';
}
