/** Temporary uploads through the real HTTP route: validation corpus, limits, and nothing left behind. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '@restoreclick/core';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import { createTestApp } from '../test/helpers';
import { jpeg, png, pngClaiming } from '../test/images';

interface UploadResponse {
  uploaded: Array<{
    id: string;
    filename: string;
    width: number;
    height: number;
    bytes: number;
    sha256: string;
  }>;
  error?: { code: string; message: string };
}

describe('uploads', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
    const app = createTestApp({ db: testDb.db, bucket });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await testDb?.destroy();
  });

  async function trpc<T>(
    path: string,
    input?: unknown,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<T> {
    const response =
      method === 'POST'
        ? await fetch(`${url}/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(input ?? {}),
          })
        : await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!body.result) throw new Error(JSON.stringify(body.error));
    return body.result.data;
  }

  async function newSession(): Promise<string> {
    return (await trpc<{ uploadSessionId: string }>('uploads.createSession')).uploadSessionId;
  }

  async function upload(
    sessionId: string,
    files: Array<{ name: string; body: Buffer; type?: string }>,
  ) {
    const form = new FormData();
    for (const file of files)
      form.append('file', new Blob([file.body], { type: file.type ?? 'image/jpeg' }), file.name);
    const response = await fetch(`${url}/uploads/${sessionId}/files`, {
      method: 'POST',
      body: form,
    });
    return { status: response.status, body: (await response.json()) as UploadResponse };
  }

  async function leftovers(sessionId: string) {
    const objects = await new S3ObjectStore(bucket.client, bucket.bucket).list(
      `uploads/temp/${sessionId}/`,
    );
    const rows = await testDb.db
      .selectFrom('uploads')
      .select('id')
      .where('upload_session_id', '=', sessionId)
      .execute();
    return { objects: objects.length, rows: rows.length };
  }

  it('creates a session that states its limits', async () => {
    const session = await trpc<{
      uploadSessionId: string;
      expiresAt: string;
      limits: Record<string, unknown>;
    }>('uploads.createSession');
    expect(session.limits).toEqual({
      maxFileBytes: 25 * 1024 * 1024,
      maxFiles: 20,
      maxPixels: 50_000_000,
      acceptedTypes: [
        'image/jpeg',
        'image/png',
        'image/webp',
        'image/tiff',
        'image/avif',
        'image/heic',
      ],
    });
    expect(new Date(session.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
  });

  it('stores a photo in temporary storage with its dimensions and checksum, lists it and removes it', async () => {
    const sessionId = await newSession();
    const photo = await jpeg(640, 480);
    const { status, body } = await upload(sessionId, [
      { name: 'Grand-mère 1952.jpg', body: photo },
    ]);
    expect(status).toBe(201);
    const [stored] = body.uploaded;
    expect(stored).toMatchObject({
      filename: 'Grand-mère 1952.jpg',
      width: 640,
      height: 480,
      bytes: photo.length,
    });
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const objects = await new S3ObjectStore(bucket.client, bucket.bucket).list(
      `uploads/temp/${sessionId}/`,
    );
    expect(objects.map((object) => object.key)).toEqual([
      `uploads/temp/${sessionId}/${stored?.id}.jpg`,
    ]);
    // Byte for byte what was sent: no transfer framing (aws-chunked) stored with it.
    const kept = await new S3ObjectStore(bucket.client, bucket.bucket).getBuffer(
      `uploads/temp/${sessionId}/${stored?.id}.jpg`,
    );
    expect(kept.equals(photo)).toBe(true);

    const listed = await trpc<Array<{ id: string }>>(
      'uploads.list',
      { uploadSessionId: sessionId },
      'GET',
    );
    expect(listed.map((item) => item.id)).toEqual([stored?.id]);
    await trpc('uploads.remove', { uploadSessionId: sessionId, uploadId: stored?.id });
    expect(await leftovers(sessionId)).toEqual({ objects: 0, rows: 0 });
  });

  it.each([
    {
      name: 'a text file named .jpg',
      file: async () => ({
        name: 'notes.jpg',
        body: Buffer.from('Dear diary, today I…\n'.repeat(50)),
      }),
      status: 415,
      message: /not a photo we can read/,
    },
    {
      name: 'an empty file',
      file: async () => ({ name: 'empty.jpg', body: Buffer.alloc(0) }),
      status: 400,
      message: /The file is empty/,
    },
    {
      name: 'a truncated JPEG',
      file: async () => {
        const full = await jpeg(800, 600);
        return { name: 'cut.jpg', body: full.subarray(0, Math.floor(full.length * 0.6)) };
      },
      status: 400,
      message: /damaged or incomplete/,
    },
    {
      name: 'a 26 MB file',
      file: async () => ({
        name: 'huge.jpg',
        body: Buffer.concat([await jpeg(), Buffer.alloc(26 * 1024 * 1024, 7)]),
      }),
      status: 413,
      message: /larger than the 25 MB limit/,
    },
    {
      name: 'a 20000×20000 PNG bomb',
      file: async () => ({
        name: 'bomb.png',
        body: pngClaiming(20_000, 20_000),
        type: 'image/png',
      }),
      status: 413,
      message: /20000×20000 \(400 MP\); the limit is 50 MP/,
    },
    {
      name: 'a name with ../',
      file: async () => ({ name: '../../etc/passwd.jpg', body: await jpeg() }),
      status: 400,
      message: /looks like a path/,
    },
  ])(
    'refuses $name with a clear error and leaves nothing behind',
    async ({ file, status, message }) => {
      const sessionId = await newSession();
      const result = await upload(sessionId, [await file()]);
      expect(result.status).toBe(status);
      expect(result.body.error?.message).toMatch(message);
      expect(JSON.stringify(result.body)).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await leftovers(sessionId)).toEqual({ objects: 0, rows: 0 });
    },
  );

  it('refuses a name with control characters (sent RFC 5987-encoded) and leaves nothing behind', async () => {
    const sessionId = await newSession();
    const boundary = 'restoreclick-test-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''photo%07%0D%0AX-Evil%3A%201.jpg\r\n` +
          'Content-Type: image/jpeg\r\n\r\n',
      ),
      await jpeg(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await fetch(`${url}/uploads/${sessionId}/files`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as UploadResponse).error?.message).toMatch(
      /control characters/,
    );
    expect(await leftovers(sessionId)).toEqual({ objects: 0, rows: 0 });
  });

  it('refuses the 21st photo of a session, naming the limit, and keeps the first 20', async () => {
    const sessionId = await newSession();
    const twenty = await Promise.all(Array.from({ length: 20 }, (_, index) => png(8 + index, 8)));
    const first = await upload(
      sessionId,
      twenty.map((body, index) => ({ name: `p${index}.png`, body, type: 'image/png' })),
    );
    expect(first.status).toBe(201);
    expect(first.body.uploaded).toHaveLength(20);

    const extra = await upload(sessionId, [
      { name: 'one-more.png', body: await png(), type: 'image/png' },
    ]);
    expect(extra.status).toBe(409);
    expect(extra.body.error?.message).toMatch(/already has 20 photos/);
    expect(await leftovers(sessionId)).toEqual({ objects: 20, rows: 20 });
  });

  it('keeps the accepted photos of a request when a later one is refused', async () => {
    const sessionId = await newSession();
    const result = await upload(sessionId, [
      { name: 'good.jpg', body: await jpeg() },
      { name: 'bad.jpg', body: Buffer.from('not an image') },
    ]);
    expect(result.status).toBe(207);
    expect(result.body.uploaded.map((item) => item.filename)).toEqual(['good.jpg']);
    expect(await leftovers(sessionId)).toEqual({ objects: 1, rows: 1 });
  });

  it('answers an unknown or expired session with 404 / 410', async () => {
    const unknown = await upload('00000000-0000-4000-8000-000000000000', [
      { name: 'a.jpg', body: await jpeg() },
    ]);
    expect(unknown.status).toBe(404);
    const sessionId = await newSession();
    await testDb.db
      .updateTable('upload_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', sessionId)
      .execute();
    const expired = await upload(sessionId, [{ name: 'a.jpg', body: await jpeg() }]);
    expect(expired.status).toBe(410);
    expect(expired.body.error?.message).toMatch(/expired/);
  });
});
