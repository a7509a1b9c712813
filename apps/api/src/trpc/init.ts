/** tRPC setup shared by the storefront and admin routers: context, error shape and procedures. */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { type AppError, describeValidationError, isAppError } from '@restoreclick/core';
import type { ApiContext } from './context';
import type { ApiErrorShape } from './error-shape';
import { TRPC_CODE_OF } from './errors';

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error, ctx }): ApiErrorShape {
    // No stack traces for clients; the request id lets support find the log line.
    const data = shape.data;
    const cause = error.cause;
    return {
      code: shape.code,
      message:
        error.code === 'INTERNAL_SERVER_ERROR' && !isAppError(cause)
          ? `Something went wrong on our side. Quote request id ${ctx?.requestId ?? 'unknown'} if you contact us.`
          : cause instanceof ZodError
            ? describeValidationError(cause)
            : shape.message,
      data: {
        code: data.code,
        httpStatus: data.httpStatus,
        ...(data.path ? { path: data.path } : {}),
        requestId: ctx?.requestId ?? null,
        appCode: isAppError(cause) ? cause.code : null,
        details: isAppError(cause) ? (cause.details ?? null) : null,
        fieldErrors: cause instanceof ZodError ? cause.flatten().fieldErrors : null,
      },
    };
  },
});

function toTrpcError(appError: AppError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_OF[appError.code],
    message: appError.message,
    cause: appError,
  });
}

/** A subscription's errors are thrown while it is iterated, after the middleware returned: map them there. */
async function* mappingAppErrors<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw isAppError(error) ? toTrpcError(error) : error;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Turns `AppError`s thrown by core services into tRPC errors with the mapped code and the same message. */
const mapAppErrors = t.middleware(async ({ next, type }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTrpcError(result.error.cause);
  if (result.ok && type === 'subscription' && isAsyncIterable(result.data)) {
    return { ...result, data: mappingAppErrors(result.data) };
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapAppErrors);
export const createCallerFactory = t.createCallerFactory;
