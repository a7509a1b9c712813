/**
 * The bad-input corpus, against the real api process: malformed, oversized, hostile and forged requests to
 * uploads, every tRPC procedure, both webhooks, download links, shares, the admin sign-in, and huge or deeply
 * nested JSON. Each answers with its documented status and error code and a message a person can act on; no
 * stack trace reaches the client; and nothing is left half stored (rows, jobs and files are counted before and
 * after every case). docs/reliability.md lists the cases.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAdminUser } from '@restoreclick/core';
import { signPayload, signReplicateWebhook } from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { adminRouter } from '../../src/trpc/admin/index';
import { storefrontRouter } from '../../src/trpc/storefront/index';
import { samplePhoto } from '../full-stack';
import { callProcedure } from '../wire';
import {
  type ChaosSystem,
  type PlacedOrder,
  startChaosSystem,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';

const UPLOAD_LIMIT_BYTES = 1024 * 1024;
const ADMIN_PASSWORD = 'a long enough chaos password';

interface BadInput {
  area: string;
  name: string;
  send: () => Promise<Response>;
  status: number;
  /** tRPC's `data.code`, or the `error.code` of a plain route; omitted for HTML pages. */
  code?: string;
  message: RegExp;
  /** A server-sent stream: the error arrives as an event of a 200 response. */
  streamed?: boolean;
}

/** What a stack trace or an internal path looks like in a response body. */
const STACK_TRACE = /\n\s+at |\bat [\w$.<>]+ \(|node_modules|\.[cm]?[jt]sx?:\d+/;

type ProcedureType = 'query' | 'mutation' | 'subscription';

function proceduresWithInput(router: { _def: { procedures: object } }) {
  // At run time `_def.procedures` is flat, keyed by dotted path.
  const procedures = router._def.procedures as Record<
    string,
    { _def: { type: ProcedureType; inputs: unknown[] } }
  >;
  return Object.entries(procedures)
    .filter(([, procedure]) => procedure._def.inputs.length > 0)
    .map(([path, procedure]) => ({ path, type: procedure._def.type }));
}

function nested(depth: number, leaf: string, open: string, close: string): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

describe('bad input', () => {
  let system: ChaosSystem;
  let apiUrl: string;
  let session: string;
  let completed: PlacedOrder;
  let unpaid: PlacedOrder;
  let expiredLink: string;
  let adminCookie: string;
  let photo: Buffer;
  let bomb: Buffer;
  const results: Array<{ area: string; name: string; status: number }> = [];

  beforeAll(async () => {
    system = await startChaosSystem({
      apiEnv: { UPLOAD_MAX_FILE_BYTES: String(UPLOAD_LIMIT_BYTES) },
    });
    apiUrl = system.apiUrl;
    photo = await samplePhoto(1);
    // 64 megapixels of one colour: a few hundred kilobytes that would decode to 256 MB.
    bomb = await sharp({
      create: { width: 8000, height: 8000, channels: 3, background: '#777' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();

    completed = await system.placeOrder({ photos: 1 });
    system.pay(completed);
    unpaid = await system.placeOrder({ photos: 1 });
    await waitForOrders(system, [completed.orderId], ['completed'], 60_000);
    await waitForEmailsSent(system, [completed.orderId], 60_000);
    const created = await callProcedure<{ url: string }>(
      apiUrl,
      'downloads.create',
      { token: completed.accessToken, kind: 'all' },
      'mutation',
    );
    if (!created.ok) throw new Error(created.error.message);
    expiredLink = created.data.url.replace(/^https?:\/\/[^/]+/, apiUrl);
    await system.db
      .updateTable('download_links')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .execute();

    const opened = await callProcedure<{ uploadSessionId: string }>(
      apiUrl,
      'uploads.createSession',
      undefined,
      'mutation',
    );
    if (!opened.ok) throw new Error(opened.error.message);
    session = opened.data.uploadSessionId;

    await saveAdminUser(system.db, {
      email: 'chaos-admin@example.com',
      password: ADMIN_PASSWORD,
      role: 'admin',
    });
    const signedIn = await fetch(`${apiUrl}/admin/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: apiUrl },
      body: JSON.stringify({ email: 'chaos-admin@example.com', password: ADMIN_PASSWORD }),
    });
    adminCookie = signedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(adminCookie).toMatch(/^rc_admin_session=/);
    system.addSecret('admin password', ADMIN_PASSWORD);
    system.addSecret('admin session', adminCookie.split('=')[1] ?? '');
    system.addSecret('order access token', completed.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const mutate = (path: string, input: unknown, endpoint = '/trpc') =>
    post(`${endpoint}/${path}`, JSON.stringify(input), {
      ...(endpoint === '/admin/trpc' ? { cookie: adminCookie, origin: apiUrl } : {}),
    });
  const query = (path: string, input: unknown, endpoint = '/trpc') =>
    fetch(`${apiUrl}${endpoint}/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: endpoint === '/admin/trpc' ? { cookie: adminCookie } : {},
    });
  const upload = (
    sessionId: string,
    files: Array<{ name: string; body: Buffer | string; type?: string }>,
  ) => {
    const form = new FormData();
    for (const file of files) {
      const bytes = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
      form.append(
        'file',
        new Blob([new Uint8Array(bytes)], { type: file.type ?? 'image/jpeg' }),
        file.name,
      );
    }
    return fetch(`${apiUrl}/uploads/${sessionId}/files`, { method: 'POST', body: form });
  };
  const stripeWebhook = (body: string, signature: string | undefined) =>
    post('/webhooks/stripe', body, signature ? { 'stripe-signature': signature } : {});
  const replicateWebhook = (body: string, headers: object) =>
    post('/webhooks/replicate', body, { ...(headers as Record<string, string>) });
  const stripeSecret = () => system.secrets.get('STRIPE_WEBHOOK_SECRET') ?? '';
  const replicateSecret = () => system.secrets.get('REPLICATE_WEBHOOK_SECRET') ?? '';
  const prediction = JSON.stringify({ id: 'p_unknown', status: 'succeeded', output: null });

  function corpus(): BadInput[] {
    const cases: BadInput[] = [
      // Uploads
      {
        area: 'upload',
        name: 'a session id that is not an id',
        send: () => upload('not-a-session', [{ name: 'a.jpg', body: photo }]),
        status: 404,
        code: 'NOT_FOUND',
        message: /upload session does not exist/,
      },
      {
        area: 'upload',
        name: 'an unknown session',
        send: () => upload(randomUUID(), [{ name: 'a.jpg', body: photo }]),
        status: 404,
        code: 'NOT_FOUND',
        message: /upload session does not exist/,
      },
      {
        area: 'upload',
        name: 'JSON instead of multipart',
        send: () => post(`/uploads/${session}/files`, '{"file":"AAAA"}'),
        status: 400,
        code: 'INVALID_INPUT',
        message: /multipart\/form-data/,
      },
      {
        area: 'upload',
        name: 'multipart without a file',
        send: () => {
          const form = new FormData();
          form.append('note', 'no photo here');
          return fetch(`${apiUrl}/uploads/${session}/files`, { method: 'POST', body: form });
        },
        status: 400,
        code: 'INVALID_INPUT',
        message: /No file was sent/,
      },
      {
        area: 'upload',
        name: 'a malformed multipart body',
        send: () =>
          post(`/uploads/${session}/files`, '--x\r\nContent-Disposition: form-data; name="file"', {
            'content-type': 'multipart/form-data; boundary=x',
          }),
        status: 400,
        code: 'INVALID_INPUT',
        message: /malformed|No file was sent/,
      },
      {
        area: 'upload',
        name: 'a text file named .jpg',
        send: () => upload(session, [{ name: 'holiday.jpg', body: 'just some text, honestly' }]),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: /not a photo we can read/,
      },
      {
        area: 'upload',
        name: 'an HTML page named .jpg',
        send: () =>
          upload(session, [
            { name: 'x.jpg', body: '<html><script>alert(document.cookie)</script></html>' },
          ]),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: /not a photo we can read/,
      },
      {
        area: 'upload',
        name: 'an empty file',
        send: () => upload(session, [{ name: 'empty.jpg', body: Buffer.alloc(0) }]),
        status: 400,
        code: 'INVALID_INPUT',
        message: /empty/,
      },
      {
        area: 'upload',
        name: 'a truncated JPEG',
        send: () =>
          upload(session, [{ name: 'cut.jpg', body: photo.subarray(0, photo.length / 2) }]),
        status: 400,
        code: 'INVALID_INPUT',
        message: /damaged or incomplete/,
      },
      {
        area: 'upload',
        name: 'a file over the size limit',
        send: () =>
          upload(session, [
            {
              name: 'huge.jpg',
              body: Buffer.concat([photo, Buffer.alloc(UPLOAD_LIMIT_BYTES + 1024, 7)]),
            },
          ]),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /larger than the 1 MB limit/,
      },
      {
        area: 'upload',
        name: 'a decompression bomb (8000×8000 PNG)',
        send: () => upload(session, [{ name: 'bomb.png', body: bomb, type: 'image/png' }]),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /8000×8000/,
      },
      {
        area: 'upload',
        name: 'a file name that is a path',
        send: () => upload(session, [{ name: '../../etc/passwd.jpg', body: photo }]),
        status: 400,
        code: 'INVALID_INPUT',
        message: /looks like a path/,
      },
      {
        area: 'upload',
        name: 'a file name of 300 characters',
        send: () => upload(session, [{ name: `${'a'.repeat(300)}.jpg`, body: photo }]),
        status: 400,
        code: 'INVALID_INPUT',
        message: /longer than 255 characters/,
      },

      // tRPC procedures with their own rules
      {
        area: 'trpc',
        name: 'checkout with an invalid email',
        send: () =>
          mutate('checkout.create', { uploadSessionId: session, email: 'ada@', name: 'Ada' }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /Enter a valid email address/,
      },
      {
        area: 'trpc',
        name: 'checkout with a 201-character name',
        send: () =>
          mutate('checkout.create', {
            uploadSessionId: session,
            email: 'ada@example.com',
            name: 'A'.repeat(201),
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /Names are at most 200 characters/,
      },
      {
        area: 'trpc',
        name: 'checkout of an unknown upload session',
        send: () =>
          mutate('checkout.create', {
            uploadSessionId: randomUUID(),
            email: 'ada@example.com',
            name: 'Ada',
          }),
        status: 404,
        code: 'NOT_FOUND',
        message: /upload session does not exist/,
      },
      {
        area: 'trpc',
        name: 'checkout of an upload session without photos',
        send: () =>
          mutate('checkout.create', {
            uploadSessionId: session,
            email: 'ada@example.com',
            name: 'Ada',
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /photo/i,
      },
      {
        area: 'trpc',
        name: 'an order token of 201 characters',
        send: () => query('orders.get', { token: 'A'.repeat(201) }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /token is too long/,
      },
      {
        area: 'trpc',
        name: 'an unknown order token',
        send: () => query('orders.get', { token: 'B'.repeat(43) }),
        status: 404,
        code: 'NOT_FOUND',
        message: /No order matches this link/,
      },
      {
        area: 'trpc',
        name: 'an email kind that does not exist',
        send: () => mutate('orders.resendEmail', { token: completed.accessToken, kind: 'invoice' }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /kind/,
      },
      {
        area: 'trpc',
        name: 'a download of photo ids that are not ids',
        send: () =>
          mutate('downloads.create', {
            token: completed.accessToken,
            kind: 'all',
            imageIds: ['<script>'],
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /imageIds must be ids of photos in this order/,
      },
      {
        area: 'trpc',
        name: '201 notification ids at once',
        send: () =>
          mutate('notifications.markRead', {
            token: completed.accessToken,
            ids: Array.from({ length: 201 }, () => randomUUID()),
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /ids/,
      },
      {
        area: 'trpc',
        name: 'a checkout session id with markup',
        send: () => mutate('orders.confirmCheckout', { sessionId: 'cs_<img src=x onerror=1>' }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /sessionId must be the checkout session id/,
      },
      {
        area: 'trpc',
        name: 'an unknown procedure',
        send: () => query('orders.everything', {}),
        status: 404,
        code: 'NOT_FOUND',
        message: /No procedure found/,
      },
      {
        area: 'trpc',
        name: 'a mutation sent as GET',
        send: () => query('checkout.create', {}),
        status: 405,
        code: 'METHOD_NOT_SUPPORTED',
        message: /GET-request to mutation/,
      },
      {
        area: 'trpc',
        name: 'a body that is not JSON',
        send: () => post('/trpc/checkout.create', '{"uploadSessionId": '),
        status: 400,
        code: 'BAD_REQUEST',
        message: /JSON/,
      },
      {
        area: 'trpc',
        name: 'a body sent as text/plain',
        send: () => post('/trpc/checkout.create', '{}', { 'content-type': 'text/plain' }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: /content-type/,
      },
      {
        area: 'trpc',
        name: 'following an order with a malformed token',
        send: () =>
          fetch(
            `${apiUrl}/trpc/orders.watch?input=${encodeURIComponent(JSON.stringify({ token: 42 }))}`,
            { headers: { accept: 'text/event-stream' } },
          ),
        status: 200,
        code: 'BAD_REQUEST',
        message: /token/,
        streamed: true,
      },

      // Huge and deeply nested JSON
      {
        area: 'json',
        name: 'a 20 MB JSON body',
        send: () => mutate('checkout.create', { name: 'x'.repeat(20 * 1024 * 1024) }),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /larger than/,
      },
      {
        area: 'json',
        name: 'a 5 MB JSON body without a Content-Length (chunked)',
        send: () => {
          const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
              if (sent >= 80) {
                controller.enqueue(new TextEncoder().encode('"}'));
                controller.close();
                return;
              }
              sent += 1;
              controller.enqueue(chunk);
            },
          });
          return fetch(`${apiUrl}/trpc/checkout.create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            duplex: 'half',
          } as RequestInit);
        },
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /larger than/,
      },
      {
        area: 'json',
        name: 'arrays nested 100,000 deep',
        send: () =>
          post(
            '/trpc/checkout.create',
            `{"uploadSessionId":"${session}","email":"ada@example.com","name":${nested(100_000, '"x"', '[', ']')}}`,
          ),
        status: 400,
        code: 'BAD_REQUEST',
        message: /name/,
      },
      {
        area: 'json',
        // Keys nobody asked for are dropped without being walked: the call fails for its real reason.
        name: 'objects nested 100,000 deep in a field nobody reads',
        send: () =>
          post(
            '/trpc/checkout.create',
            `{"uploadSessionId":"${session}","email":"ada@example.com","name":"Ada","options":${nested(100_000, '1', '{"a":', '}')}}`,
          ),
        status: 400,
        code: 'BAD_REQUEST',
        message: /Upload at least one photo/,
      },
      {
        area: 'json',
        name: 'objects nested 500 deep in a query string',
        send: () =>
          fetch(
            `${apiUrl}/trpc/notifications.list?input=${encodeURIComponent(`{"token":${nested(500, '1', '{"a":', '}')}}`)}`,
          ),
        status: 400,
        code: 'BAD_REQUEST',
        message: /token/,
      },
      {
        area: 'json',
        name: 'objects nested 100,000 deep to the admin endpoint',
        send: () =>
          post('/admin/trpc/orders.refund', `{"id":${nested(100_000, '1', '{"a":', '}')}}`, {
            cookie: adminCookie,
            origin: apiUrl,
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /id/,
      },
      {
        area: 'json',
        name: 'a batch of 300 calls',
        send: () =>
          post(
            `/trpc/${Array.from({ length: 300 }, () => 'uploads.createSession').join(',')}?batch=1`,
            '{}',
          ),
        status: 400,
        code: 'BAD_REQUEST',
        message: /at most 20 calls and this one has 300/,
      },

      // Stripe webhooks
      {
        area: 'stripe-webhook',
        name: 'no signature',
        send: () => stripeWebhook('{"id":"evt_1","type":"checkout.session.completed"}', undefined),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /Stripe-Signature header is missing/,
      },
      {
        area: 'stripe-webhook',
        name: 'a forged signature',
        send: () =>
          stripeWebhook(
            '{"id":"evt_1","type":"checkout.session.completed"}',
            `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
          ),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /signature/i,
      },
      {
        area: 'stripe-webhook',
        name: 'signed with another secret',
        send: () => {
          const body = '{"id":"evt_2","type":"checkout.session.completed","data":{"object":{}}}';
          return stripeWebhook(body, signPayload(body, 'whsec_not_ours'));
        },
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /signature/i,
      },
      {
        area: 'stripe-webhook',
        name: 'a replay signed ten minutes ago',
        send: () => {
          const body = '{"id":"evt_3","type":"checkout.session.completed","data":{"object":{}}}';
          return stripeWebhook(
            body,
            signPayload(body, stripeSecret(), Math.floor(Date.now() / 1000) - 600),
          );
        },
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /tolerance|timestamp/i,
      },
      {
        area: 'stripe-webhook',
        name: 'a body over the webhook limit',
        send: () => stripeWebhook(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`, 't=1,v1=00'),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /too large/,
      },
      {
        area: 'stripe-webhook',
        name: 'signed, but not JSON',
        send: () =>
          stripeWebhook('not json at all', signPayload('not json at all', stripeSecret())),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /JSON|payload/i,
      },
      {
        area: 'stripe-webhook',
        name: 'signed, but not an event',
        send: () =>
          stripeWebhook('{"hello":"world"}', signPayload('{"hello":"world"}', stripeSecret())),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /not a Stripe event/,
      },

      // Replicate webhooks
      {
        area: 'replicate-webhook',
        name: 'no signature headers',
        send: () => replicateWebhook(prediction, {}),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /webhook-id header is missing/,
      },
      {
        area: 'replicate-webhook',
        name: 'a forged signature',
        send: () =>
          replicateWebhook(prediction, {
            ...signReplicateWebhook(prediction, replicateSecret(), 'msg_1'),
            'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
          }),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /signature/i,
      },
      {
        area: 'replicate-webhook',
        name: 'a replay signed ten minutes ago',
        send: () =>
          replicateWebhook(
            prediction,
            signReplicateWebhook(
              prediction,
              replicateSecret(),
              'msg_2',
              Math.floor(Date.now() / 1000) - 600,
            ),
          ),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /timestamp|old|tolerance/i,
      },
      {
        area: 'replicate-webhook',
        name: 'a body over the webhook limit',
        send: () =>
          replicateWebhook(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`, {
            'webhook-id': 'msg_3',
          }),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: /too large/,
      },
      {
        area: 'replicate-webhook',
        name: 'signed, but not JSON',
        send: () =>
          replicateWebhook('<xml/>', signReplicateWebhook('<xml/>', replicateSecret(), 'msg_4')),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /JSON|prediction/i,
      },
      {
        area: 'replicate-webhook',
        name: 'signed, but not a prediction',
        send: () =>
          replicateWebhook('{"a":1}', signReplicateWebhook('{"a":1}', replicateSecret(), 'msg_5')),
        status: 400,
        code: 'INVALID_SIGNATURE',
        message: /prediction/i,
      },

      // Download links
      {
        area: 'download',
        name: 'an unknown link',
        send: () => fetch(`${apiUrl}/download/${'C'.repeat(43)}`),
        status: 404,
        message: /This download link does not exist/,
      },
      {
        area: 'download',
        name: 'a link with markup in it',
        send: () => fetch(`${apiUrl}/download/${encodeURIComponent('<script>alert(1)</script>')}`),
        status: 404,
        message: /This download link does not exist/,
      },
      {
        area: 'download',
        name: 'a 5,000-character link',
        send: () => fetch(`${apiUrl}/download/${'d'.repeat(5000)}`),
        status: 404,
        message: /This download link does not exist/,
      },
      {
        area: 'download',
        name: 'a path that climbs out',
        send: () => fetch(`${apiUrl}/download/..%2F..%2Fetc%2Fpasswd`),
        status: 404,
        message: /This download link does not exist/,
      },
      {
        area: 'download',
        name: 'an expired link',
        send: () => fetch(expiredLink),
        status: 410,
        message: /This download link has expired/,
      },

      // Shares
      {
        area: 'share',
        name: 'a message one character over the limit',
        send: () =>
          mutate('orders.share', {
            token: completed.accessToken,
            to: 'grandpa@example.com',
            message: 'm'.repeat(1001),
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /keep it to 1000/,
      },
      {
        area: 'share',
        name: 'a 5,001-character message',
        send: () =>
          mutate('orders.share', {
            token: completed.accessToken,
            to: 'grandpa@example.com',
            message: 'm'.repeat(5001),
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /message is too long/,
      },
      {
        area: 'share',
        name: 'a recipient with a header injected',
        send: () =>
          mutate('orders.share', {
            token: completed.accessToken,
            to: 'grandpa@example.com\r\nBcc: everyone@example.net',
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /to must be an email address/,
      },
      {
        area: 'share',
        name: 'two recipients in one',
        send: () =>
          mutate('orders.share', {
            token: completed.accessToken,
            to: 'grandpa@example.com, spam@example.net',
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /to must be an email address/,
      },
      {
        area: 'share',
        name: 'an order that is not paid yet',
        send: () =>
          mutate('orders.share', { token: unpaid.accessToken, to: 'grandpa@example.com' }),
        status: 412,
        code: 'PRECONDITION_FAILED',
        message: /restored/i,
      },

      // Admin sign-in
      {
        area: 'admin-login',
        name: 'a wrong password',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: 'chaos-admin@example.com', password: 'not the password' }),
            { origin: apiUrl },
          ),
        status: 401,
        code: 'UNAUTHORIZED',
        message: /^Email or password is wrong\.$/,
      },
      {
        area: 'admin-login',
        name: 'an unknown email',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: 'nobody@example.com', password: ADMIN_PASSWORD }),
            { origin: apiUrl },
          ),
        status: 401,
        code: 'UNAUTHORIZED',
        message: /^Email or password is wrong\.$/,
      },
      {
        area: 'admin-login',
        name: 'SQL in the email',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: "' or 1=1; --", password: ADMIN_PASSWORD }),
            { origin: apiUrl },
          ),
        status: 401,
        code: 'UNAUTHORIZED',
        message: /^Email or password is wrong\.$/,
      },
      {
        area: 'admin-login',
        name: 'no Origin header',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: 'chaos-admin@example.com', password: ADMIN_PASSWORD }),
          ),
        status: 403,
        code: 'FORBIDDEN',
        message: /only accepted from the admin dashboard/,
      },
      {
        area: 'admin-login',
        name: 'a foreign Origin',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: 'chaos-admin@example.com', password: ADMIN_PASSWORD }),
            { origin: 'https://evil.example' },
          ),
        status: 403,
        code: 'FORBIDDEN',
        message: /only accepted from the admin dashboard/,
      },
      {
        area: 'admin-login',
        name: 'a 1,025-character password',
        send: () =>
          post(
            '/admin/trpc/auth.login',
            JSON.stringify({ email: 'chaos-admin@example.com', password: 'p'.repeat(1025) }),
            { origin: apiUrl },
          ),
        status: 400,
        code: 'BAD_REQUEST',
        message: /password/,
      },
      {
        area: 'admin-login',
        name: 'an empty email',
        send: () =>
          post('/admin/trpc/auth.login', JSON.stringify({ email: ' ', password: 'x' }), {
            origin: apiUrl,
          }),
        status: 400,
        code: 'BAD_REQUEST',
        message: /Enter your email address/,
      },
    ];

    // Every procedure that takes input, of both routers, given something that is not its input at all.
    const generated = [
      ...proceduresWithInput(storefrontRouter).map((procedure) => ({
        ...procedure,
        endpoint: '/trpc',
      })),
      ...proceduresWithInput(adminRouter).map((procedure) => ({
        ...procedure,
        endpoint: '/admin/trpc',
      })),
    ].map(({ path, type, endpoint }): BadInput => ({
      area: 'trpc-input',
      name: `${endpoint}/${path} given a string`,
      send: () =>
        type === 'mutation'
          ? mutate(path, 'not an object', endpoint)
          : type === 'query'
            ? query(path, 'not an object', endpoint)
            : fetch(`${apiUrl}${endpoint}/${path}?input=${encodeURIComponent('"not an object"')}`, {
                headers: { accept: 'text/event-stream' },
              }),
      status: type === 'subscription' ? 200 : 400,
      code: 'BAD_REQUEST',
      message: /expected object/,
      streamed: type === 'subscription',
    }));
    return [...cases, ...generated];
  }

  /** Rows, queued jobs and files: what a half-done request would leave behind. */
  async function storedState(): Promise<Record<string, number>> {
    const { rows } = await sql<{ name: string; n: string }>`
      select 'customers' as name, count(*)::text as n from customers
      union all select 'upload_sessions', count(*)::text from upload_sessions
      union all select 'uploads', count(*)::text from uploads
      union all select 'orders', count(*)::text from orders
      union all select 'order_images', count(*)::text from order_images
      union all select 'restoration_jobs', count(*)::text from restoration_jobs
      union all select 'order_events', count(*)::text from order_events
      union all select 'stripe_events', count(*)::text from stripe_events
      union all select 'provider_webhook_events', count(*)::text from provider_webhook_events
      union all select 'email_messages', count(*)::text from email_messages
      union all select 'download_links', count(*)::text from download_links
      union all select 'notifications', count(*)::text from notifications
      union all select 'refund_requests', count(*)::text from refund_requests
      union all select 'admin_sessions', count(*)::text from admin_sessions
      union all select 'audit_logs (not sign-in)', count(*)::text from audit_logs
        where action not like 'auth.%'
      union all select 'jobs', count(*)::text from pgboss.job
        where name in ('stripe.event', 'restoration.run', 'restoration.poll', 'email.send')
    `.execute(system.db);
    const state = Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]));
    state.files = (await system.store.list('uploads/')).length;
    return state;
  }

  it('answers every case with its documented error, no stack trace and nothing stored', async () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const badInput of cases) {
      const label = `${badInput.area}: ${badInput.name}`;
      const before = await storedState();
      const response = await badInput.send().catch((error: unknown) => {
        throw new Error(`${label}: no answer`, { cause: error });
      });
      const text = await response.text();
      expect.soft(response.status, `${label} → ${text.slice(0, 300)}`).toBe(badInput.status);
      expect.soft(text, `${label} leaks internals`).not.toMatch(STACK_TRACE);
      if (badInput.streamed) {
        expect.soft(text, label).toContain(`"code":"${badInput.code}"`);
        expect.soft(text, label).toMatch(badInput.message);
      } else if (badInput.code) {
        const body = JSON.parse(text) as {
          error: { code: string | number; message: string; data?: { code: string } };
        };
        const code = body.error.data?.code ?? body.error.code;
        expect.soft(code, `${label} → ${text.slice(0, 300)}`).toBe(badInput.code);
        expect.soft(body.error.message, label).toMatch(badInput.message);
      } else {
        expect.soft(response.headers.get('content-type'), label).toMatch(/^text\/html/);
        expect.soft(text, label).toMatch(badInput.message);
        expect.soft(text, label).not.toContain('<script>alert');
      }
      expect.soft(await storedState(), `${label} left something behind`).toEqual(before);
      results.push({ area: badInput.area, name: badInput.name, status: response.status });
    }
    expect(system.api().exited()).toBe(false);
  });

  it('sends a message with HTML in it as text, escaped', async () => {
    const message = '<script>alert("hi")</script><img src=x onerror=alert(1)> Look!';
    const shared = await callProcedure(
      apiUrl,
      'orders.share',
      { token: completed.accessToken, to: 'grandpa@example.com', message },
      'mutation',
    );
    expect(shared.ok).toBe(true);
    const email = await waitForShareEmail('grandpa@example.com');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img src=x');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain('Look!');
  });

  it('keeps line breaks in a message from becoming mail headers', async () => {
    const message = 'Hello\r\nBcc: everyone@example.net\r\nSubject: you won\r\n\r\nLove';
    const shared = await callProcedure(
      apiUrl,
      'orders.share',
      { token: completed.accessToken, to: 'grandma@example.com', message },
      'mutation',
    );
    expect(shared.ok).toBe(true);
    const email = await waitForShareEmail('grandma@example.com');
    const recipients = email.personalizations.flatMap((personalization) => [
      ...personalization.to,
      ...personalization.cc,
      ...personalization.bcc,
    ]);
    expect(recipients.map((recipient) => recipient.email)).toEqual(['grandma@example.com']);
    expect(email.subject).not.toMatch(/you won/);
  });

  it('never writes a configured secret, token or password to its logs', async () => {
    expect(system.leakedSecrets()).toEqual([]);
    await recordFigures('bad-input', {
      cases: results.length,
      byArea: Object.fromEntries(
        [...new Set(results.map((result) => result.area))].map((area) => [
          area,
          results.filter((result) => result.area === area).length,
        ]),
      ),
      statuses: [...new Set(results.map((result) => result.status))].sort(),
    });
  });

  async function waitForShareEmail(to: string) {
    const received = await waitFor(
      () =>
        system.sendgrid
          .messages()
          .find(
            (message) =>
              message.status === 202 &&
              message.mail?.personalizations.some((personalization) =>
                personalization.to.some((recipient) => recipient.email === to),
              ),
          ),
      { timeout: 30_000, message: `the share email to ${to}` },
    );
    const mail = received.mail;
    if (!mail) throw new Error('no mail');
    return {
      html: mail.html ?? '',
      text: mail.text ?? '',
      subject: mail.subject ?? '',
      personalizations: mail.personalizations,
    };
  }
});
