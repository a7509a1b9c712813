import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import pino from 'pino';
import { AppError } from '@restoreclick/core';
import { createApp } from './app';
import { createTestApp, createTestDependencies } from '../test/helpers';

describe('api routes', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  it('serves the health report through the storefront tRPC endpoint', async () => {
    const app = createTestApp({ db: testDb.db, bucket });
    const response = await app.request('/trpc/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { ok: boolean } } };
    expect(body.result.data.ok).toBe(true);
  });

  it('keeps admin procedures off the storefront endpoint and serves them on their own', async () => {
    const app = createTestApp({ db: testDb.db, bucket });
    expect((await app.request('/admin/trpc/health')).status).toBe(200);
    const wrongEndpoint = await app.request('/trpc/admin.health');
    expect(wrongEndpoint.status).toBe(404);
  });

  it('answers an unknown route with a JSON 404 and no stack trace', async () => {
    const app = createTestApp({ db: testDb.db, bucket });
    const response = await app.request('/nope');
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route for GET /nope.' },
    });
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('explains invalid procedure input in one readable sentence, with the field errors alongside', async () => {
    const app = createTestApp({ db: testDb.db, bucket });
    const response = await app.request('/trpc/checkout.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        uploadSessionId: 'nope',
        email: 'ada@example.com',
        option: 'standard',
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } };
    };
    expect(body.error.message).toBe(
      'uploadSessionId must be the id returned by uploads.createSession; name is required',
    );
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.data.fieldErrors.uploadSessionId).toHaveLength(1);
  });

  it('echoes a sane request id and makes one up otherwise', async () => {
    const app = createTestApp({ db: testDb.db, bucket });
    const given = await app.request('/healthz', { headers: { 'x-request-id': 'req-12345678' } });
    expect(given.headers.get('x-request-id')).toBe('req-12345678');
    const invented = await app.request('/healthz', { headers: { 'x-request-id': 'bad id\n' } });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('when something fails inside a request', () => {
    /** The real app whose readiness check throws `failure`, logging into `logLines`. */
    function appFailingWith(failure: Error) {
      const logLines: Array<Record<string, unknown>> = [];
      const logger = pino(
        { level: 'info' },
        {
          write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>),
        },
      );
      const deps = {
        ...createTestDependencies({ db: testDb.db, bucket }),
        checkReadiness: () => Promise.reject(failure),
      };
      const app = createApp({ deps, logger, corsOrigins: [] });
      return { app, logLines };
    }
    const leakyError = () => new Error('relation "internal_secret_table" does not exist');
    const genericMessage =
      'Something went wrong on our side. Quote request id req-abcdefgh if you contact us.';

    it('answers a plain route with a generic message and the request id, and logs the real error', async () => {
      const { app, logLines } = appFailingWith(leakyError());
      const response = await app.request('/readyz', {
        headers: { 'x-request-id': 'req-abcdefgh' },
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: 'INTERNAL', message: genericMessage, requestId: 'req-abcdefgh' },
      });
      expect(text).not.toContain('internal_secret_table');
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 50,
          requestId: 'req-abcdefgh',
          path: '/readyz',
          err: expect.objectContaining({
            message: expect.stringContaining('internal_secret_table'),
          }),
        }),
      );
    });

    it('answers a procedure with a generic message and the request id, and logs the real error', async () => {
      const { app, logLines } = appFailingWith(leakyError());
      const response = await app.request('/trpc/health', {
        headers: { 'x-request-id': 'req-abcdefgh' },
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('internal_secret_table');
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
      const body = JSON.parse(text) as {
        error: { message: string; data: Record<string, unknown> };
      };
      expect(body.error.message).toBe(genericMessage);
      expect(body.error.data).toMatchObject({
        code: 'INTERNAL_SERVER_ERROR',
        requestId: 'req-abcdefgh',
      });
      expect(logLines).toContainEqual(
        expect.objectContaining({ level: 50, requestId: 'req-abcdefgh', path: 'health' }),
      );
    });

    it('answers an AppError with its own status and message on both kinds of endpoint', async () => {
      const { app, logLines } = appFailingWith(
        new AppError('RATE_LIMITED', 'Too many requests; try again in a minute.'),
      );
      const plain = await app.request('/readyz', { headers: { 'x-request-id': 'req-abcdefgh' } });
      expect(plain.status).toBe(429);
      expect(await plain.json()).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message: 'Too many requests; try again in a minute.',
          requestId: 'req-abcdefgh',
        },
      });

      const procedure = await app.request('/trpc/health');
      expect(procedure.status).toBe(429);
      const body = (await procedure.json()) as {
        error: { message: string; data: Record<string, unknown> };
      };
      expect(body.error.message).toBe('Too many requests; try again in a minute.');
      expect(body.error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' });
      // Expected failures are answers, not incidents.
      expect(logLines.filter((line) => line.level === 50)).toEqual([]);
    });
  });
});
