/**
 * Replicate's error answers: problem-details JSON (`{ title, detail, status }`) with the HTTP status, which the
 * official client turns into an `ApiError` carrying the response.
 */
export interface ReplicateErrorBody {
  title: string;
  detail: string;
  status: number;
}

export class ReplicateApiError extends Error {
  readonly status: number;
  readonly title: string;
  /** Extra response headers, such as Retry-After on a 429. */
  readonly headers: Record<string, string>;

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    headers?: Record<string, string>;
  }) {
    super(init.detail);
    this.name = 'ReplicateApiError';
    this.status = init.status;
    this.title = init.title;
    this.headers = init.headers ?? {};
  }

  toBody(): ReplicateErrorBody {
    return { title: this.title, detail: this.message, status: this.status };
  }

  toResponse(): Response {
    return new Response(JSON.stringify(this.toBody()), {
      status: this.status,
      headers: { 'content-type': 'application/problem+json', ...this.headers },
    });
  }
}

export function invalidRequest(detail: string): ReplicateApiError {
  return new ReplicateApiError({ status: 422, title: 'Input validation failed', detail });
}

export function notFound(detail = 'Not found.'): ReplicateApiError {
  return new ReplicateApiError({ status: 404, title: 'Not found', detail });
}
