/**
 * S3 refuses a photo (down, wrong bucket, wrong key): the upload answers 500 with a request id and nothing
 * stored, and the api keeps serving. Found by the chaos suite: the failure used to escape the request as an
 * unhandled rejection, which ends a Node 20 process.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import { samplePhoto } from '../test/full-stack';
import { createTestApp } from '../test/helpers';

describe('upload when storage refuses the photo', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;
  let server: ServerType;
  let url: string;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
    // A bucket that does not exist: every PutObject fails as it would with S3 down or misconfigured.
    const app = createTestApp({ db: testDb.db, bucket, bucketName: 'no-such-bucket-here' });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.on('unhandledRejection', record);
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    if (server && 'closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await testDb?.destroy();
  });

  it('answers 500 with a request id, stores nothing and leaves no failure unhandled', async () => {
    const session = await fetch(`${url}/trpc/uploads.createSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { uploadSessionId } = (
      (await session.json()) as { result: { data: { uploadSessionId: string } } }
    ).result.data;
    const form = new FormData();
    for (const seed of [1, 2]) {
      form.append(
        'file',
        new Blob([new Uint8Array(await samplePhoto(seed))], { type: 'image/jpeg' }),
        `photo-${seed}.jpg`,
      );
    }

    const response = await fetch(`${url}/uploads/${uploadSessionId}/files`, {
      method: 'POST',
      body: form,
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(500);
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).toMatch(/^Something went wrong on our side\. Quote request id /);
    expect(JSON.stringify(body)).not.toMatch(/NoSuchBucket|at .*\.ts:\d+/);

    // Give a stray rejection the turn of the event loop it needs to surface.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    const rows = await testDb.db
      .selectFrom('uploads')
      .select('id')
      .where('upload_session_id', '=', uploadSessionId)
      .execute();
    expect(rows).toEqual([]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 15_000);
});
