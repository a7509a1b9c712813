/** The outbox transport sends nothing and names the message after our own id. */
import { describe, expect, it } from 'vitest';
import { OutboxEmailTransport } from './outbox-email-transport';

describe('outbox email transport', () => {
  it('returns outbox-<messageId> as the provider id without sending anything', async () => {
    const transport = new OutboxEmailTransport();

    const result = await transport.send({
      messageId: 'msg-42',
      kind: 'share',
      from: { email: 'hello@restoreclick.test' },
      to: { email: 'friend@example.test' },
      subject: 'Ada shared restored photos with you',
      html: '<p>Hi</p>',
      text: 'Hi',
      attachments: [],
    });

    expect(transport.name).toBe('outbox');
    expect(result).toEqual({ providerMessageId: 'outbox-msg-42' });
  });
});
