/**
 * Stripe's error responses: `{ error: { type, code, message, param } }` with the HTTP status Stripe uses, so
 * the official client raises the same error classes (`StripeInvalidRequestError`, `StripeIdempotencyError`, …).
 */
export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  error: { type: StripeErrorType; message: string; code?: string; param?: string };
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly type: StripeErrorType;
  readonly code: string | undefined;
  readonly param: string | undefined;
  /**
   * The request failed validation before the endpoint ran. Stripe saves no idempotent result for these, so a
   * corrected retry with the same key is executed.
   */
  readonly beforeExecution: boolean;

  constructor(init: {
    status: number;
    type?: StripeErrorType;
    message: string;
    code?: string;
    param?: string;
    beforeExecution?: boolean;
  }) {
    super(init.message);
    this.name = 'StripeApiError';
    this.status = init.status;
    this.type = init.type ?? 'invalid_request_error';
    this.code = init.code;
    this.param = init.param;
    this.beforeExecution = init.beforeExecution ?? false;
  }

  toBody(): StripeErrorBody {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.code ? { code: this.code } : {}),
        ...(this.param ? { param: this.param } : {}),
      },
    };
  }
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError({
    status: 400,
    message: `Missing required param: ${param}.`,
    code: 'parameter_missing',
    param,
    beforeExecution: true,
  });
}

export function invalidParam(
  param: string,
  message: string,
  code = 'parameter_invalid',
): StripeApiError {
  return new StripeApiError({ status: 400, message, code, param, beforeExecution: true });
}

export function unknownParam(param: string): StripeApiError {
  return new StripeApiError({
    status: 400,
    message: `Received unknown parameter: ${param}`,
    code: 'parameter_unknown',
    param,
    beforeExecution: true,
  });
}

/** 404 for an object named in the URL; 400 with `param` for one named in a parameter, as Stripe answers. */
export function resourceMissing(objectName: string, id: string, param?: string): StripeApiError {
  return new StripeApiError({
    status: param ? 400 : 404,
    message: `No such ${objectName}: '${id}'`,
    code: 'resource_missing',
    param: param ?? 'id',
  });
}

export function invalidRequest(
  message: string,
  details: { param?: string; code?: string; status?: number } = {},
): StripeApiError {
  return new StripeApiError({ status: details.status ?? 400, message, ...details });
}
