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

/** What the provider knows of a message we may have sent: see `EmailTransport.findAccepted`. */
export type EmailAcceptance =
  | { accepted: true; providerMessageId: string | null }
  | { accepted: false }
  /** The provider cannot tell us (e.g. SendGrid's Email Activity API is not enabled for the key). */
  | { accepted: 'unknown'; reason: string };

export interface EmailTransport {
  /** Stored on `email_messages.provider`: `sendgrid` or `outbox`. */
  readonly name: string;
  send(email: OutgoingEmail): Promise<EmailSendResult>;
  /**
   * Whether the provider accepted a message sent with this `messageId`. Asked before sending again a message
   * whose earlier attempt has no known outcome (the process died, or the request timed out), so a crash
   * never sends it twice. Absent when a repeated send has no effect a person would notice (the outbox).
   */
  findAccepted?(messageId: string): Promise<EmailAcceptance>;
  /** How long after a send `findAccepted` may still miss it (the provider's records lag): default 0. */
  readonly acceptanceLagMs?: number;
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
    options?: {
      cause?: unknown;
      /**
       * The request may have reached the provider before it failed (a timeout, a connection reset), so the
       * message may have been accepted: ask the provider before sending it again.
       */
      mayHaveBeenAccepted?: boolean;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.mayHaveBeenAccepted = options?.mayHaveBeenAccepted ?? false;
  }

  readonly mayHaveBeenAccepted: boolean;
}
