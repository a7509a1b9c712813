/**
 * The error shape every procedure answers with, spelled out so clients (and the SDK's published types) get it
 * without any server type.
 */
import type { TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODE_NUMBER } from '@trpc/server/rpc';
import type { AppErrorCode } from '@restoreclick/core';

export interface ApiErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  /** Quote it to support: it finds the server's log line. */
  requestId: string | null;
  /** Our finer-grained code, when the error came from a service. */
  appCode: AppErrorCode | null;
  details: Record<string, unknown> | null;
  /** Per-field messages when the input did not validate. */
  fieldErrors: Record<string, string[] | undefined> | null;
}

export interface ApiErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: ApiErrorData;
}
