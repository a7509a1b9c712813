/** Maps our `AppError` codes onto tRPC's error codes, once, for every procedure. */
import { type TRPCError } from '@trpc/server';
import type { AppErrorCode } from '@restoreclick/core';

type TRPCCode = TRPCError['code'];

export const TRPC_CODE_OF: Record<AppErrorCode, TRPCCode> = {
  INVALID_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  GONE: 'NOT_FOUND',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};
