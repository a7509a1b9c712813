/** The local SendGrid server, driven through the real `@sendgrid/mail` client by our SendGrid transport. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EmailPermanentError,
  EmailRetryableError,
  type OutgoingEmail,
  SendGridEmailTransport,
} from '@restoreclick/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSendGrid, startLocalSendGrid } from './local-sendgrid';

const TEMPLATE_ID = 'd-0123456789abcdef0123456789abcdef';

function outgoingEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: 'email-message-1',
    kind: 'restoration_complete',
    from: { email: 'hello@restoreclick.test', name: 'RestoreClick' },
    to: { email: 'ada@example.test', name: 'Ada Lovelace' },
    replyTo: { email: 'help@restoreclick.test' },
    subject: 'Your restored photos are ready (order RC-1)',
    html: '<p>Your photos are ready.</p>',
    text: 'Your photos are ready.',
    attachments: [],
    ...overrides,
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the send to fail, but it succeeded');
}

describe('local SendGrid server', () => {
  let local: LocalSendGrid;
  let transport: SendGridEmailTransport;

  beforeAll(async () => {
    local = await startLocalSendGrid();
    transport = new SendGridEmailTransport({
      apiKey: local.apiKey,
      baseUrl: local.url,
      timeoutMs: 5_000,
    });
  });
  afterEach(() => local.reset());
  afterAll(async () => {
    await local?.stop();
  });

  it('accepts a message with attachments and keeps it intact with our custom args', async () => {
    const photo = Buffer.from(Array.from({ length: 2048 }, (_, index) => index % 256));
    const note = Buffer.from('restored with care ✓', 'utf8');

    const result = await transport.send(
      outgoingEmail({
        attachments: [
          { filename: 'wedding-restored.png', contentType: 'image/png', content: photo },
          { filename: 'note.txt', contentType: 'text/plain', content: note },
        ],
      }),
    );

    const [message] = local.messages();
    expect(local.messages()).toHaveLength(1);
    expect(message?.status).toBe(202);
    expect(result.providerMessageId).toBe(message?.messageId);
    expect(result.providerMessageId).toMatch(/^[\w-]{22}$/);
    const mail = message?.mail;
    expect(mail?.from).toEqual({ email: 'hello@restoreclick.test', name: 'RestoreClick' });
    expect(mail?.replyTo).toEqual({ email: 'help@restoreclick.test', name: null });
    expect(mail?.personalizations).toHaveLength(1);
    expect(mail?.personalizations[0]?.to).toEqual([
      { email: 'ada@example.test', name: 'Ada Lovelace' },
    ]);
    expect(mail?.subject).toBe('Your restored photos are ready (order RC-1)');
    expect(mail?.content.map((block) => block.type)).toEqual(['text/plain', 'text/html']);
    expect(mail?.text).toBe('Your photos are ready.');
    expect(mail?.html).toBe('<p>Your photos are ready.</p>');
    expect(mail?.customArgs).toEqual({
      email_message_id: 'email-message-1',
      kind: 'restoration_complete',
    });
    expect(mail?.categories).toEqual(['restoration_complete']);
    expect(mail?.templateId).toBeNull();
    expect(mail?.attachments).toHaveLength(2);
    expect(mail?.attachments[0]).toMatchObject({
      filename: 'wedding-restored.png',
      type: 'image/png',
      disposition: 'attachment',
    });
    expect(mail?.attachments[0]?.content.equals(photo)).toBe(true);
    expect(mail?.attachments[1]?.content.toString('utf8')).toBe('restored with care ✓');
  });

  it('turns a 429 with Retry-After into a retryable error that says when to retry', async () => {
    local.scriptAnswer({ status: 429, retryAfterSeconds: 7 });

    const error = await rejectionOf(transport.send(outgoingEmail()));

    expect(error).toBeInstanceOf(EmailRetryableError);
    expect(error).toMatchObject({ statusCode: 429, retryAfterMs: 7_000 });
    expect(local.messages().map((message) => message.status)).toEqual([429]);
  });

  it('treats a 500 as retryable, and the next send goes through once the script is used up', async () => {
    local.scriptAnswer({ status: 500 }, { times: 2 });

    const first = await rejectionOf(transport.send(outgoingEmail()));
    const second = await rejectionOf(transport.send(outgoingEmail()));
    const third = await transport.send(outgoingEmail());

    expect(first).toBeInstanceOf(EmailRetryableError);
    expect(first).toMatchObject({ statusCode: 500, retryAfterMs: undefined });
    expect(second).toBeInstanceOf(EmailRetryableError);
    expect(third.providerMessageId).toEqual(expect.any(String));
    expect(local.messages().map((message) => message.status)).toEqual([500, 500, 202]);
    expect(local.pendingScriptedAnswers()).toBe(0);
  });

  it("turns a 400 into a permanent error carrying SendGrid's message", async () => {
    local.scriptAnswer({
      status: 400,
      message: 'The from address does not match a verified Sender Identity.',
      field: 'from',
    });

    const error = await rejectionOf(transport.send(outgoingEmail()));

    expect(error).toBeInstanceOf(EmailPermanentError);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as Error).message).toContain(
      'The from address does not match a verified Sender Identity. (from)',
    );
  });

  it('reports every validation error of a real bad request, as SendGrid does', async () => {
    const error = await rejectionOf(
      transport.send(
        outgoingEmail({
          to: { email: 'not-an-address' },
          html: '',
          text: 'Only text',
          subject: '',
        }),
      ),
    );

    expect(error).toBeInstanceOf(EmailPermanentError);
    expect((error as Error).message).toContain(
      'Does not contain a valid address. (personalizations.0.to.0.email)',
    );
    expect((error as Error).message).toContain('The subject is required.');
    const [message] = local.messages();
    expect(message?.status).toBe(400);
    expect(message?.errors.map((item) => item.field)).toEqual([
      'personalizations.0.to.0.email',
      'subject',
    ]);
  });

  it('sends a dynamic template with its id and data instead of our content', async () => {
    await transport.send(
      outgoingEmail({
        providerTemplate: {
          id: TEMPLATE_ID,
          data: { customer_name: 'Ada & "friends"', photos: [{ filename: 'a.jpg' }] },
        },
      }),
    );

    const [message] = local.messages();
    expect(message?.status).toBe(202);
    expect(message?.mail?.templateId).toBe(TEMPLATE_ID);
    expect(message?.mail?.content).toEqual([]);
    expect(message?.mail?.personalizations[0]?.dynamicTemplateData).toEqual({
      customer_name: 'Ada & "friends"',
      photos: [{ filename: 'a.jpg' }],
    });
    expect(message?.mail?.customArgs.email_message_id).toBe('email-message-1');
  });

  it('refuses a template that is not dynamic before sending anything', async () => {
    const error = await rejectionOf(
      transport.send(outgoingEmail({ providerTemplate: { id: 'legacy-template', data: {} } })),
    );

    expect(error).toBeInstanceOf(EmailPermanentError);
    expect(local.messages()).toHaveLength(0);
  });

  it('answers 401 to a wrong API key, which is permanent and does not reveal the key', async () => {
    const wrongKey = 'SG.wrong.key-that-must-not-leak';
    const stranger = new SendGridEmailTransport({ apiKey: wrongKey, baseUrl: local.url });

    const error = await rejectionOf(stranger.send(outgoingEmail()));

    expect(error).toBeInstanceOf(EmailPermanentError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toContain('The provided authorization grant is invalid');
    expect((error as Error).message).not.toContain(wrongKey);
    expect(local.messages()).toEqual([expect.objectContaining({ status: 401, body: null })]);
  });

  it('answers a bad request in SendGrid error shape, e.g. an attachment that is not base64', async () => {
    const response = await fetch(`${local.url}/v3/mail/send`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${local.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: 'ada@example.test' }] }],
        from: { email: 'hello@restoreclick.test' },
        subject: 'Hi',
        content: [{ type: 'text/plain', value: 'Hi' }],
        attachments: [{ filename: 'a.png', content: 'not base64!' }],
      }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The attachment content must be base64 encoded.',
          field: 'attachments.0.content',
          help: expect.stringContaining('#message.attachments.content'),
        },
      ],
    });
  });

  it('answers 401 in SendGrid error shape when the Authorization header is missing', async () => {
    const response = await fetch(`${local.url}/v3/mail/send`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message: 'authorization required', field: null, help: null }],
    });
  });

  it('refuses a message over the size limit with 413, which is permanent', async () => {
    const small = await startLocalSendGrid({ maxMessageBytes: 64 * 1024 });
    try {
      const sender = new SendGridEmailTransport({ apiKey: small.apiKey, baseUrl: small.url });
      const error = await rejectionOf(
        sender.send(
          outgoingEmail({
            attachments: [
              {
                filename: 'big.png',
                contentType: 'image/png',
                content: Buffer.alloc(100 * 1024, 1),
              },
            ],
          }),
        ),
      );

      expect(error).toBeInstanceOf(EmailPermanentError);
      expect(error).toMatchObject({ statusCode: 413 });
      expect(small.messages().map((message) => message.status)).toEqual([413]);
    } finally {
      await small.stop();
    }
  });

  it('gives up on a server that does not answer within the timeout, as retryable', async () => {
    const silent = createServer(() => {
      // Never answers: the client's timeout has to end the request.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const sender = new SendGridEmailTransport({
        apiKey: local.apiKey,
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 200,
      });

      const error = await rejectionOf(sender.send(outgoingEmail()));

      expect(error).toBeInstanceOf(EmailRetryableError);
      expect((error as Error).message).toMatch(/Could not reach SendGrid.*timeout of 200ms/);
      // The request went out: SendGrid may have the message, so it must be looked up before a resend.
      expect((error as EmailRetryableError).mayHaveBeenAccepted).toBe(true);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('treats an unreachable server as retryable', async () => {
    const gone = await startLocalSendGrid();
    const url = gone.url;
    await gone.stop();
    const sender = new SendGridEmailTransport({ apiKey: gone.apiKey, baseUrl: url });

    const error = await rejectionOf(sender.send(outgoingEmail()));

    expect(error).toBeInstanceOf(EmailRetryableError);
    expect((error as Error).message).toContain('Could not reach SendGrid');
    expect((error as Error).message).not.toContain(gone.apiKey);
    // Nothing was ever connected to: the message certainly was not accepted.
    expect((error as EmailRetryableError).mayHaveBeenAccepted).toBe(false);
  });

  describe('Email Activity', () => {
    it('finds an accepted message by our id, with the X-Message-Id of its send', async () => {
      const sent = await transport.send(outgoingEmail({ messageId: 'email-activity-1' }));
      await transport.send(outgoingEmail({ messageId: 'email-activity-2' }));

      await expect(transport.findAccepted('email-activity-1')).resolves.toEqual({
        accepted: true,
        providerMessageId: sent.providerMessageId,
      });
      await expect(transport.findAccepted('never-sent')).resolves.toEqual({ accepted: false });
    });

    it('does not list a message it refused', async () => {
      local.scriptAnswer({ status: 500 });
      await rejectionOf(transport.send(outgoingEmail({ messageId: 'refused-1' })));

      await expect(transport.findAccepted('refused-1')).resolves.toEqual({ accepted: false });
    });

    it('keeps a message whose answer came too late for the client, and lists it', async () => {
      const impatient = new SendGridEmailTransport({
        apiKey: local.apiKey,
        baseUrl: local.url,
        timeoutMs: 100,
      });
      local.scriptAnswer({ status: 202, answerAfterMs: 1_000 });

      const error = await rejectionOf(impatient.send(outgoingEmail({ messageId: 'late-1' })));

      expect((error as EmailRetryableError).mayHaveBeenAccepted).toBe(true);
      await expect(impatient.findAccepted('late-1')).resolves.toMatchObject({ accepted: true });
    });

    it('reports the outcome as unknown when the account has no Email Activity access (403)', async () => {
      local.setEmailActivity(false);
      try {
        await transport.send(outgoingEmail({ messageId: 'no-activity-1' }));
        const lookup = await transport.findAccepted('no-activity-1');
        expect(lookup).toMatchObject({ accepted: 'unknown' });
        expect(lookup.accepted === 'unknown' && lookup.reason).toMatch(/Email Activity/);
      } finally {
        local.setEmailActivity(true);
      }
    });

    it("answers a query it cannot read with 400 in SendGrid's error shape", async () => {
      const response = await fetch(
        `${local.url}/v3/messages?limit=1&query=${encodeURIComponent('subject~"x"')}`,
        { headers: { authorization: `Bearer ${local.apiKey}` } },
      );

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ message: expect.stringMatching(/invalid query/) }],
      });
    });
  });
});
