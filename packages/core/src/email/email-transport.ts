/**
 * What our email service needs from a mail provider: send one fully rendered message. One real implementation
 * (SendGrid) and the outbox, which keeps the rendered message for admins to read instead of sending it.
 */

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface EmailAddress {
  email: string;
  name?: string;
}

export interface OutgoingEmail {
  /** Our `email_messages.id`: sent along (custom arg) so provider events can be matched to the row. */
  messageId: string;
  /** `order_confirmation`, `restoration_complete`, `share`, … */
  kind: string;
  from: EmailAddress;
  to: EmailAddress;
  replyTo?: EmailAddress;
  subject: string;
  html: string;
  text: string;
  /** A provider-side template to use instead of our HTML, with the data it needs. */
  providerTemplate?: { id: string; data: Record<string, unknown> };
  attachments: EmailAttachment[];
}

export interface EmailSendResult {
  /** The provider's id for the message (SendGrid's `X-Message-Id`); ours for the outbox. */
  providerMessageId: string | null;
}

export interface EmailTransport {
  /** Stored on `email_messages.provider`: `sendgrid` or `outbox`. */
  readonly name: string;
  send(email: OutgoingEmail): Promise<EmailSendResult>;
}

/** The provider refused the message (4xx other than 429): sending it again will fail the same way. */
export class EmailPermanentError extends Error {
  override name = 'EmailPermanentError';

  constructor(
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Rate limited (429), 5xx, or unreachable: try again after a delay. */
export class EmailRetryableError extends Error {
  override name = 'EmailRetryableError';

  constructor(
    message: string,
    readonly statusCode?: number,
    /** From the provider's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
