/** The share email: who shared, their message with its line breaks, and where the photos are. */
import { describe, expect, it } from 'vitest';
import { type EmailTemplateInput, renderEmail } from '../render-email';

type ShareInput = Extract<EmailTemplateInput, { kind: 'share' }>;

function share(overrides: Partial<ShareInput> = {}): ShareInput {
  return {
    kind: 'share',
    senderName: 'Ada Lovelace',
    senderEmail: 'ada@example.test',
    message: 'Look at these!\nGrandma at the lake, 1952.',
    orderNumber: 'RC-3003',
    viewUrl: 'https://restoreclick.test/shared/tok_view',
    photoCount: 2,
    attachmentsIncluded: false,
    ...overrides,
  };
}

describe('share email', () => {
  it('names the sender, keeps the message line breaks and links the photos', async () => {
    const email = await renderEmail(share());

    expect(email.subject).toBe('Ada Lovelace shared restored photos with you');
    expect(email.html).toContain('Ada Lovelace (ada@example.test) shared 2 restored photos');
    expect(email.html).toContain('Look at these!<br />Grandma at the lake, 1952.');
    expect(email.text).toContain('Look at these!\nGrandma at the lake, 1952.');
    expect(email.html).toContain('href="https://restoreclick.test/shared/tok_view"');
    expect(email.text).toContain('https://restoreclick.test/shared/tok_view');
    expect(email.text).toContain('Reference: order RC-3003.');
  });

  it('uses the sender address when there is no name, and says when the photos are attached', async () => {
    const email = await renderEmail(
      share({
        senderName: null,
        message: null,
        attachmentsIncluded: true,
        viewUrl: null,
        photoCount: 1,
      }),
    );

    expect(email.subject).toBe('ada@example.test shared a restored photo with you');
    expect(email.text).toContain('It is attached to this email.');
    expect(email.text).not.toContain('Message from');
    expect(email.html).not.toContain('<a href');
  });

  it('normalizes Windows line breaks in the message to one break each', async () => {
    const email = await renderEmail(share({ message: 'one\r\ntwo\rthree' }));

    expect(email.text).toContain('one\ntwo\nthree');
    expect(email.html).toContain('one<br />two<br />three');
  });
});
