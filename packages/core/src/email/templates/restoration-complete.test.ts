/** The restoration result: counts, failed photos with reasons, attached vs download link, deletion date. */
import { describe, expect, it } from 'vitest';
import { type EmailTemplateInput, renderEmail } from '../render-email';

type RestorationCompleteInput = Extract<EmailTemplateInput, { kind: 'restoration_complete' }>;

function restorationComplete(
  overrides: Partial<RestorationCompleteInput> = {},
): RestorationCompleteInput {
  return {
    kind: 'restoration_complete',
    customerName: 'Ada',
    orderNumber: 'RC-2002',
    orderUrl: 'https://restoreclick.test/orders/tok_order',
    downloadUrl: 'https://restoreclick.test/downloads/tok_zip',
    photos: [
      { filename: 'wedding-1952.jpg', status: 'restored' },
      { filename: 'grandpa.png', status: 'restored' },
    ],
    attachmentsIncluded: true,
    deleteAfter: null,
    supportEmail: 'help@restoreclick.test',
    ...overrides,
  };
}

describe('restoration complete email', () => {
  it('says every photo was restored and that they are attached', async () => {
    const email = await renderEmail(restorationComplete());

    expect(email.subject).toBe('Your restored photos are ready (order RC-2002)');
    for (const body of [email.html, email.text]) {
      expect(body).toContain('All 2 photos in your order have been restored.');
      expect(body).toContain('Your restored photos are attached to this email.');
    }
    expect(email.html).toContain('href="https://restoreclick.test/downloads/tok_zip"');
    expect(email.text).not.toContain('could not restore');
  });

  it('lists each failed photo with its reason and counts the restored ones', async () => {
    const email = await renderEmail(
      restorationComplete({
        photos: [
          { filename: 'wedding-1952.jpg', status: 'restored' },
          {
            filename: 'torn.jpg',
            status: 'failed',
            reason: 'The photo is too damaged to restore.',
          },
          { filename: 'blank.png', status: 'failed', reason: null },
        ],
      }),
    );

    expect(email.subject).toBe('1 of 3 photos restored (order RC-2002)');
    for (const body of [email.html, email.text]) {
      expect(body).toContain('1 of your 3 photos has been restored.');
      expect(body).toContain('We could not restore these photos:');
      expect(body).toContain('torn.jpg: The photo is too damaged to restore.');
      expect(body).toContain('blank.png');
    }
    expect(email.html).toMatch(/<li[^>]*>torn\.jpg: The photo is too damaged to restore\.<\/li>/);
    expect(email.text).toContain('- torn.jpg: The photo is too damaged to restore.');
  });

  it('points to the download link when the photos are not attached', async () => {
    const email = await renderEmail(restorationComplete({ attachmentsIncluded: false }));

    expect(email.text).toContain('Your restored photos are ready to download from the link below.');
    expect(email.text).toContain(
      'Download your photos:\nhttps://restoreclick.test/downloads/tok_zip',
    );
    expect(email.html).not.toContain('attached to this email');
    expect(email.html).toContain('Download your photos');
  });

  it('falls back to the order page when there is no download link and nothing is attached', async () => {
    const email = await renderEmail(
      restorationComplete({ attachmentsIncluded: false, downloadUrl: null }),
    );

    expect(email.text).toContain('ready to download from your order page');
    expect(email.html).toContain('href="https://restoreclick.test/orders/tok_order"');
    expect(email.html).not.toContain('tok_zip');
  });

  it('says when the files will be deleted, only when a deletion date is set', async () => {
    const withDate = await renderEmail(
      restorationComplete({ deleteAfter: new Date('2026-06-05T14:00:00Z') }),
    );
    const without = await renderEmail(restorationComplete());

    expect(withDate.text).toContain(
      'we will delete your photos from our servers on June 5, 2026 at 2:00 PM UTC',
    );
    expect(withDate.html).toContain('June 5, 2026 at 2:00 PM UTC');
    expect(without.text).not.toContain('delete');
  });

  it('says plainly when no photo could be restored, without a download link', async () => {
    const email = await renderEmail(
      restorationComplete({
        photos: [{ filename: 'torn.jpg', status: 'failed', reason: 'Too damaged.' }],
      }),
    );

    expect(email.subject).toBe('We could not restore your photo (order RC-2002)');
    expect(email.text).toContain('Unfortunately we could not restore your photo.');
    expect(email.text).not.toContain('attached');
    expect(email.html).not.toContain('tok_zip');
  });
});
