/**
 * What the api and the worker log never holds a customer's secrets: a whole order's life (checkout, payment,
 * restoration, emails, a ZIP download, deleting the photos) runs with every log line captured at debug level,
 * and none contains the order's access token, an email's order link, a download token or an email's body.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';
import { callProcedure } from '../test/wire';

describe('logs', () => {
  const lines: string[] = [];
  let stack: FullStack;

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    stack = await startFullStack({ logger: pino({ level: 'debug' }, capture) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('never contain access tokens, download tokens or email bodies', async () => {
    const { orderId, accessToken } = await stack.checkoutAndPay({ photos: 1 });
    await stack.waitForOrderStatus(orderId, 'completed', 60_000);
    const emails = await waitFor(
      async () => {
        const rows = await stack.testDb.db
          .selectFrom('email_messages')
          .select(['kind', 'status', 'html', 'text'])
          .where('order_id', '=', orderId)
          .execute();
        return rows.length === 2 && rows.every((row) => row.status === 'sent') ? rows : undefined;
      },
      { timeout: 30_000, message: 'both emails to be sent' },
    );

    // The customer reads the order (a GET with the token in the query) and downloads a ZIP.
    const read = await callProcedure(stack.apiUrl, 'orders.get', { token: accessToken }, 'query');
    expect(read.ok).toBe(true);
    const link = await callProcedure<{ url: string }>(
      stack.apiUrl,
      'downloads.create',
      { token: accessToken, kind: 'restored' },
      'mutation',
    );
    if (!link.ok) throw new Error(link.error.message);
    const downloadUrl = link.data.url.replace(/^https?:\/\/[^/]+/, stack.apiUrl);
    const downloadToken = downloadUrl.split('/').at(-1) ?? '';
    expect((await fetch(downloadUrl)).status).toBe(200);
    // … then deletes the photos, and the link answers 410.
    const deleted = await callProcedure(
      stack.apiUrl,
      'orders.deletePhotos',
      { token: accessToken },
      'mutation',
    );
    expect(deleted.ok).toBe(true);
    expect((await fetch(downloadUrl)).status).toBe(410);
    await waitFor(() => lines.some((line) => line.includes('"path":"/download/[redacted]"')), {
      message: 'the download requests to be logged',
    });

    const logs = lines.join('\n');
    expect(logs).toContain('"msg":"request"');
    expect(logs).toContain('"msg":"restoration attempt"');
    const secrets: Array<[string, string]> = [
      ['the order access token', accessToken],
      ['the download token', downloadToken],
    ];
    for (const email of emails) {
      // Each email carries a link with a token of its own.
      const emailToken = /\/orders\/([A-Za-z0-9_-]{43})/.exec(email.text ?? '')?.[1];
      expect(emailToken, `${email.kind} has an order link`).toBeDefined();
      secrets.push([`the ${email.kind} link token`, emailToken ?? '']);
      const body = (email.text ?? '').split('\n').find((line) => line.trim().length > 40) ?? '';
      secrets.push([`a line of the ${email.kind} text`, body.trim()]);
      secrets.push([`the ${email.kind} HTML`, (email.html ?? '').slice(0, 200)]);
    }
    for (const [what, secret] of secrets) {
      expect(secret.length, what).toBeGreaterThan(10);
      expect(logs.includes(secret), `${what} is in the logs`).toBe(false);
    }
  });
});
