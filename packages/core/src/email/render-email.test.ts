/**
 * What no caller can get into an email: markup from names and messages (HTML or MJML), header lines in the
 * subject, or links that are not http(s).
 */
import { describe, expect, it } from 'vitest';
import { type EmailTemplateInput, renderEmail } from './render-email';
import { MAX_SUBJECT_LENGTH } from './templates/text-cleaning';

const HOSTILE_NAME = 'Eve <script>alert(1)</script><img src=x onerror=alert(2)>';
const HOSTILE_MESSAGE = [
  'Hi!',
  '<img src=x onerror=alert(1)>',
  '</mj-text><mj-raw><script>alert(2)</script></mj-raw><mj-text>',
  '<mj-button href="javascript:alert(3)">click</mj-button>',
  'Tom & Jerry "quoted"',
].join('\n');

function share(overrides: Partial<Extract<EmailTemplateInput, { kind: 'share' }>> = {}) {
  return renderEmail({
    kind: 'share',
    senderName: 'Ada',
    senderEmail: 'ada@example.test',
    message: null,
    orderNumber: 'RC-1',
    viewUrl: 'https://restoreclick.test/shared/tok',
    photoCount: 2,
    attachmentsIncluded: false,
    ...overrides,
  });
}

function expectNoInjectedMarkup(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<\/?mj-/i);
  expect(html).not.toMatch(/href\s*=\s*["']?\s*(javascript|data):/i);
}

describe('renderEmail escaping', () => {
  it('shows HTML and MJML in the share message and sender name as text', async () => {
    const email = await share({ senderName: HOSTILE_NAME, message: HOSTILE_MESSAGE });

    expectNoInjectedMarkup(email.html);
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).toContain(
      '&lt;/mj-text&gt;&lt;mj-raw&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
    );
    expect(email.html).toContain('Tom &amp; Jerry &quot;quoted&quot;');
    expect(email.html).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt;');
    // The message keeps its lines, each escaped on its own.
    expect(email.html).toContain('Hi!<br />&lt;img src=x onerror=alert(1)&gt;<br />');
  });

  it('escapes a hostile customer name in every kind', async () => {
    const common = {
      customerName: HOSTILE_NAME,
      orderNumber: 'RC-<b>9</b>',
      orderUrl: 'https://restoreclick.test/orders/tok',
      supportEmail: 'help@restoreclick.test',
    };
    const inputs: EmailTemplateInput[] = [
      { kind: 'order_confirmation', ...common, photoCount: 1, amountPaid: 100, currency: 'usd' },
      {
        kind: 'restoration_complete',
        ...common,
        downloadUrl: null,
        photos: [
          {
            filename: '<img src=x onerror=alert(1)>.jpg',
            status: 'failed',
            reason: '<script>x</script>',
          },
        ],
        attachmentsIncluded: false,
        deleteAfter: null,
      },
      {
        kind: 'images_refunded',
        ...common,
        refundedPhotos: [{ filename: '</mj-text>.jpg', reason: '<mj-raw>x</mj-raw>' }],
        amountRefunded: 100,
        currency: 'usd',
        fullRefund: true,
      },
    ];

    for (const input of inputs) {
      const email = await renderEmail(input);
      expectNoInjectedMarkup(email.html);
      expect(email.html).not.toContain('<b>9</b>');
      expect(email.html).toContain('Eve &lt;script&gt;');
    }
  });

  it('keeps CR/LF and other control characters in a name out of the subject', async () => {
    const email = await share({ senderName: 'Ada\r\nBcc: victim@example.test\u0000\u2028\u202E' });

    expect(email.subject).toBe('Ada Bcc: victim@example.test shared restored photos with you');
    expect(email.subject).not.toMatch(/[\p{Cc}\u2028\u2029\u202A-\u202E]/u);
  });

  it('caps a subject made long by a long name', async () => {
    const email = await share({ senderName: 'A'.repeat(500) });

    expect(Array.from(email.subject).length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(email.subject).toContain('…');
    expect(email.subject).toMatch(/shared restored photos with you$/);
  });

  it('does not link a URL that is not http(s), in HTML or text', async () => {
    for (const viewUrl of [
      'javascript:alert(1)',
      'data:text/html,<script>x</script>',
      'ftp://x.test/a',
      '/relative',
    ]) {
      const email = await share({ viewUrl });
      expectNoInjectedMarkup(email.html);
      expect(email.html).not.toContain('href="data:');
      expect(email.html).not.toContain('ftp://');
      expect(email.html).not.toContain('View the photos');
      expect(email.text).not.toContain(viewUrl);
    }
    const order = await renderEmail({
      kind: 'order_confirmation',
      customerName: null,
      orderNumber: 'RC-1',
      orderUrl: 'javascript:alert(document.cookie)',
      photoCount: 1,
      amountPaid: 100,
      currency: 'usd',
      supportEmail: 'help@restoreclick.test',
    });
    expectNoInjectedMarkup(order.html);
    expect(order.text).not.toContain('javascript:');
  });

  it('escapes characters of an http URL inside the href attribute', async () => {
    const email = await share({
      viewUrl: 'https://restoreclick.test/s?a=1&b="><script>x</script>',
    });

    expectNoInjectedMarkup(email.html);
    expect(email.html).toContain(
      'href="https://restoreclick.test/s?a=1&amp;b=%22%3E%3Cscript%3Ex%3C/script%3E"',
    );
  });
});
