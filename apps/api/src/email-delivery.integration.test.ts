/**
 * Email delivery through SendGrid, driven by the real `@sendgrid/mail` client against the local
 * SendGrid-compatible server: a rate limit is waited out and the message delivered once; a refusal fails the
 * message for good without a retry storm; every message carries our id so provider events can be matched;
 * a send whose outcome was lost (the worker died, the answer came too late) is looked up in SendGrid's
 * Email Activity instead of being sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmailAcceptance,
  type EmailSendResult,
  type EmailTransport,
  type OutgoingEmail,
  ReplicateRestorationProvider,
  SendGridEmailTransport,
} from '@restoreclick/core';
import {
  type LocalReplicate,
  type LocalSendGrid,
  startLocalReplicate,
  startLocalSendGrid,
} from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';

/**
 * SendGrid, except that it can be told to die right after SendGrid accepted the next email of a kind: the
 * error stands for the worker process ending between the provider's 202 and our database write.
 */
class DiesAfterAccepting implements EmailTransport {
  readonly name = 'sendgrid';
  dieAfterAccepting: string | null = null;

  constructor(private readonly sendgrid: SendGridEmailTransport) {}

  get acceptanceLagMs(): number {
    return this.sendgrid.acceptanceLagMs;
  }

  async send(email: OutgoingEmail): Promise<EmailSendResult> {
    const result = await this.sendgrid.send(email);
    if (this.dieAfterAccepting === email.kind) {
      this.dieAfterAccepting = null;
      throw new Error('The worker died after SendGrid accepted the message');
    }
    return result;
  }

  findAccepted(messageId: string): Promise<EmailAcceptance> {
    return this.sendgrid.findAccepted(messageId);
  }
}

describe('email delivery through SendGrid', () => {
  let sendgrid: LocalSendGrid;
  let replicate: LocalReplicate;
  let transport: DiesAfterAccepting;
  let stack: FullStack;

  beforeAll(async () => {
    sendgrid = await startLocalSendGrid();
    replicate = await startLocalReplicate();
    transport = new DiesAfterAccepting(
      new SendGridEmailTransport({
        apiKey: sendgrid.apiKey,
        baseUrl: sendgrid.url,
        timeoutMs: 2_000,
        // The local server lists a message the moment it accepts it.
        activityLagMs: 0,
      }),
    );
    stack = await startFullStack({
      restoration: {
        provider: new ReplicateRestorationProvider({ client: replicate.client() }),
        close: async () => {},
      },
      emailTransport: transport,
      workerEnv: { RESTORATION_POLL_DELAY_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
    await sendgrid?.stop();
  });

  function emailsOf(orderId: string) {
    return stack.testDb.db
      .selectFrom('email_messages')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute();
  }

  function requestsFor(emailMessageId: string) {
    return sendgrid
      .messages()
      .filter((message) => message.mail?.customArgs?.email_message_id === emailMessageId);
  }

  it('waits out a 429 and then delivers the message exactly once', async () => {
    sendgrid.reset();
    sendgrid.scriptAnswer({ status: 429, retryAfterSeconds: 1 });
    const orderId = await stack.payForOrder({ photos: 1 });
    await waitFor(
      async () => (await emailsOf(orderId)).filter((email) => email.status === 'sent').length === 2,
      { timeout: 30_000, message: 'the confirmation and completion emails to be sent' },
    );
    const [confirmation, completion] = await emailsOf(orderId);
    expect(confirmation).toMatchObject({
      kind: 'order_confirmation',
      status: 'sent',
      attempts: 2,
      provider: 'sendgrid',
    });
    const attempts = requestsFor(confirmation?.id ?? '');
    expect(attempts.map((request) => request.status)).toEqual([429, 202]);
    expect(confirmation?.provider_message_id).toBe(attempts[1]?.messageId);
    expect(completion).toMatchObject({ kind: 'restoration_complete', status: 'sent', attempts: 1 });
    expect(requestsFor(completion?.id ?? '').map((request) => request.status)).toEqual([202]);
    // The restored photo travels as an attachment, byte for byte what storage holds.
    const image = await stack.testDb.db
      .selectFrom('order_images')
      .select('restored_key')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    const [attachment] = requestsFor(completion?.id ?? '')[0]?.mail?.attachments ?? [];
    expect(attachment?.content.equals(await stack.store.getBuffer(image.restored_key ?? ''))).toBe(
      true,
    );
  });

  it('fails a message SendGrid refuses (400) for good, after one request', async () => {
    sendgrid.reset();
    sendgrid.scriptAnswer({ status: 400, message: 'Does not contain a valid address.' });
    const orderId = await stack.payForOrder({ photos: 1 });
    await waitFor(
      async () =>
        (await emailsOf(orderId)).some(
          (email) => email.kind === 'order_confirmation' && email.status === 'failed',
        ),
      { timeout: 20_000, message: 'the confirmation email to fail' },
    );
    // Let the completion email go out too: by then any retry of the refused one would have happened.
    await waitFor(
      async () =>
        (await emailsOf(orderId)).some(
          (email) => email.kind === 'restoration_complete' && email.status === 'sent',
        ),
      { timeout: 30_000, message: 'the completion email' },
    );
    const [confirmation] = await emailsOf(orderId);
    expect(confirmation).toMatchObject({ status: 'failed', attempts: 1 });
    expect(confirmation?.last_error).toMatch(/Does not contain a valid address/);
    expect(requestsFor(confirmation?.id ?? '')).toHaveLength(1);
    const timeline = await stack.testDb.db
      .selectFrom('order_events')
      .select('type')
      .where('order_id', '=', orderId)
      .execute();
    expect(timeline.map((event) => event.type)).toContain('email.failed');
  });

  function timelineOf(orderId: string) {
    return stack.testDb.db
      .selectFrom('order_events')
      .select(['type', 'data'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
  }

  async function confirmationOf(orderId: string) {
    await waitFor(
      async () =>
        (await emailsOf(orderId)).some(
          (email) => email.kind === 'order_confirmation' && email.status === 'sent',
        ),
      { timeout: 40_000, message: 'the confirmation email to be sent' },
    );
    const emails = await emailsOf(orderId);
    const confirmation = emails.find((email) => email.kind === 'order_confirmation');
    if (!confirmation) throw new Error(`order ${orderId} has no confirmation email`);
    return confirmation;
  }

  it('does not send an email twice when the worker dies right after SendGrid accepted it', async () => {
    sendgrid.reset();
    transport.dieAfterAccepting = 'order_confirmation';
    const orderId = await stack.payForOrder({ photos: 1 });

    const confirmation = await confirmationOf(orderId);

    const requests = requestsFor(confirmation.id);
    expect(requests.map((request) => request.status)).toEqual([202]);
    expect(confirmation.provider_message_id).toBe(requests[0]?.messageId);
    const sent = (await timelineOf(orderId)).find(
      (event) => event.type === 'email.sent' && event.data.kind === 'order_confirmation',
    );
    expect(sent?.data).toMatchObject({ foundWithProvider: true });
  });

  it('does not send an email twice when SendGrid accepted it but answered after our timeout', async () => {
    sendgrid.reset();
    sendgrid.scriptAnswer({ status: 202, answerAfterMs: 4_000 });
    const orderId = await stack.payForOrder({ photos: 1 });

    const confirmation = await confirmationOf(orderId);

    expect(requestsFor(confirmation.id).map((request) => request.status)).toEqual([202]);
    const timeline = await timelineOf(orderId);
    const retry = timeline.find((event) => event.type === 'email.retry_scheduled');
    expect(String(retry?.data.reason)).toMatch(/timeout/);
    const sent = timeline.find(
      (event) => event.type === 'email.sent' && event.data.kind === 'order_confirmation',
    );
    expect(sent?.data).toMatchObject({ foundWithProvider: true });
  });

  it('sends again, and says so on the timeline, when SendGrid cannot tell whether it has the email', async () => {
    sendgrid.reset();
    sendgrid.setEmailActivity(false);
    try {
      transport.dieAfterAccepting = 'order_confirmation';
      const orderId = await stack.payForOrder({ photos: 1 });

      const confirmation = await confirmationOf(orderId);

      // Losing the confirmation would be worse than a duplicate; the admins see why it may be one.
      expect(requestsFor(confirmation.id).map((request) => request.status)).toEqual([202, 202]);
      const unknown = (await timelineOf(orderId)).find(
        (event) => event.type === 'email.outcome_unknown',
      );
      expect(unknown?.data).toMatchObject({ kind: 'order_confirmation' });
      expect(String(unknown?.data.reason)).toMatch(/Email Activity/);
    } finally {
      sendgrid.setEmailActivity(true);
    }
  });
});
