/**
 * The transport when no mail provider is configured: it sends nothing. The caller already keeps the rendered
 * subject, HTML and text on the `email_messages` row, where admins read them.
 */
import type { EmailSendResult, EmailTransport, OutgoingEmail } from './email-transport';

export class OutboxEmailTransport implements EmailTransport {
  readonly name = 'outbox';

  async send(email: OutgoingEmail): Promise<EmailSendResult> {
    return { providerMessageId: `outbox-${email.messageId}` };
  }
}
