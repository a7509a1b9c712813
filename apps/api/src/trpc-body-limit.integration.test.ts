/**
 * A tRPC call's body is limited (TRPC_MAX_BODY_BYTES, 1 MB by default): a bigger one is refused with 413 in
 * the procedures' error shape before it is read into memory, whether its size is declared or streamed. Found
 * by the chaos suite's bad-input corpus: a 20 MB (or any size) JSON body used to be read and parsed whole.
 * So is a batch (TRPC_MAX_BATCH_SIZE, 20 calls by default): a bigger one is refused before any call runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import { createTestApp } from '../test/helpers';

interface ErrorBody {
  error: { message: string; data: { code: string; httpStatus: number; requestId: string } };
}

describe('tRPC request limits', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;
  let app: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
    app = createTestApp({ db: testDb.db, bucket });
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  const oversized = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });

  it('refuses a declared body over the limit on both endpoints, in the procedures’ error shape', async () => {
    for (const path of ['/trpc/checkout.create', '/admin/trpc/auth.login']) {
      const response = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: oversized,
      });
      expect(response.status, path).toBe(413);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
      expect(body.error.data.requestId).toBe(response.headers.get('x-request-id'));
      expect(body.error.message).toBe('The request body is larger than the 1 MB a call may send.');
    }
  });

  it('refuses a streamed body once it passes the limit', async () => {
    const bytes = new TextEncoder().encode(oversized);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
          controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        }
        controller.close();
      },
    });
    const response = await app.request('/trpc/checkout.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('reads a body under the limit as before', async () => {
    const response = await app.request('/trpc/checkout.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.data.code).toBe('BAD_REQUEST');
  });

  const batchOf = (calls: number) =>
    app.request(
      `/trpc/${Array.from({ length: calls }, () => 'uploads.createSession').join(',')}?batch=1`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, {}]))),
      },
    );
  const sessions = async () =>
    Number(
      (
        await testDb.db
          .selectFrom('upload_sessions')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );

  it('refuses a batch of more calls than the limit before any of them runs', async () => {
    const before = await sessions();
    const response = await batchOf(21);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(body.error.message).toBe(
      'A batch may hold at most 20 calls and this one has 21: send them in smaller batches.',
    );
    expect(await sessions()).toBe(before);
  });

  it('runs a batch at the limit', async () => {
    const before = await sessions();
    const response = await batchOf(20);
    expect(response.status).toBe(200);
    expect(await sessions()).toBe(before + 20);
  });
});
