/**
 * The two errors the SDK hands back: a procedure's error (tRPC's client error with our `data`), and
 * `UploadError` for a file upload the API refused as a whole.
 */
import { TRPCClientError } from '@trpc/client';
import type { AppErrorCode, StorefrontRouter } from './router-types';

export type RestoreClickError = TRPCClientError<StorefrontRouter>;

/** Narrows an unknown error to an API error, whose `data` carries `code`, `requestId`, `appCode` and field errors. */
export function isRestoreClickError(error: unknown): error is RestoreClickError {
  return error instanceof TRPCClientError;
}

/**
 * An upload request the API refused as a whole (an unknown or expired session, a malformed request), or that
 * never got an answer (`status` 0). Photos refused one by one are not errors: they come back in `rejected`.
 */
export class UploadError extends Error {
  override readonly name = 'UploadError';

  constructor(
    message: string,
    /** The API's code, e.g. `NOT_FOUND` or `GONE`; `NETWORK` when no answer came. */
    readonly code: AppErrorCode | 'NETWORK',
    /** The HTTP status, 0 when no answer came. */
    readonly status: number,
    /** Quote it to support: it finds the server's log line. */
    readonly requestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof UploadError;
}
