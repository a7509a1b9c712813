/**
 * SendGrid's error responses: `{ errors: [{ message, field, help }] }`, the shape `@sendgrid/client` surfaces
 * on `ResponseError.response.body` and our transport reads its messages from.
 */

export interface SendGridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
}

export interface SendGridErrorBody {
  errors: SendGridErrorItem[];
}

const ERRORS_HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

/** A validation error on one field of the mail send body, with help pointing at SendGrid's error table. */
export function fieldError(field: string, message: string, helpAnchor = field): SendGridErrorItem {
  return { message, field, help: `${ERRORS_HELP}#message.${helpAnchor.replace(/\.\d+/g, '')}` };
}

/** An error about the request as a whole (authorization, size, routing). */
export function requestError(message: string): SendGridErrorItem {
  return { message, field: null, help: null };
}
