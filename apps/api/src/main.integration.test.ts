/** The real API process: clear one-line startup errors, and a clean exit on SIGTERM. */
import { spawn } from 'node:child_process';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  findFreePort,
  type TestBucket,
  type TestDatabase,
  waitFor,
} from '@restoreclick/devkit/testing';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startApi(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('api process', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  it('stops with one clear line when the database cannot be reached', async () => {
    const closedPort = await findFreePort();
    const api = startApi({ DATABASE_URL: `postgres://app:secret@127.0.0.1:${closedPort}/shop` });
    expect(await api.exited).toBe(1);
    const lines = api.stderr().trim().split('\n');
    expect(lines).toEqual([
      `restoreclick-api: cannot reach the database at 127.0.0.1:${closedPort}/shop (ECONNREFUSED). Is Postgres running? Check DATABASE_URL.`,
    ]);
    expect(api.stderr()).not.toContain('secret');
  });

  it("stops with Postgres's own reason when the server answers but the database does not exist", async () => {
    const url = new URL(testDb.url);
    url.pathname = '/no_such_database';
    const api = startApi({ DATABASE_URL: url.toString() });
    expect(await api.exited).toBe(1);
    expect(api.stderr().trim().split('\n')).toEqual([
      `restoreclick-api: the database at ${url.hostname}:${url.port}/no_such_database refused the connection: database "no_such_database" does not exist. Check DATABASE_URL.`,
    ]);
  });

  it('stops with one line naming a malformed DATABASE_URL', async () => {
    const api = startApi({ DATABASE_URL: 'localhost/shop' });
    expect(await api.exited).toBe(1);
    expect(api.stderr().trim()).toBe(
      'restoreclick-api: configuration is invalid: DATABASE_URL must be a URL like postgres://user:password@host:5432/database.',
    );
  });

  it('refuses to start in production without its required settings', async () => {
    const api = startApi({ NODE_ENV: 'production' });
    expect(await api.exited).toBe(1);
    const lines = api.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^restoreclick-api: configuration is invalid: DATABASE_URL is required; S3_BUCKET is required; .*PUBLIC_URL is required\.$/,
    );
  });

  it('serves /readyz and exits 0 on SIGTERM', async () => {
    const port = await findFreePort();
    const api = startApi({
      DATABASE_URL: testDb.url,
      PORT: String(port),
      S3_ENDPOINT: bucket.endpoint,
      S3_BUCKET: bucket.bucket,
      S3_ACCESS_KEY_ID: bucket.accessKeyId,
      S3_SECRET_ACCESS_KEY: bucket.secretAccessKey,
      NODE_ENV: 'test',
    });
    try {
      const ready = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          return response.status === 200 ? response : undefined;
        },
        { timeout: 20_000, message: 'the api to be ready' },
      );
      expect(((await ready.json()) as { ok: boolean }).ok).toBe(true);
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    } finally {
      api.child.kill('SIGKILL');
    }
  });

  it('finishes a request already in flight when SIGTERM arrives, then exits 0 well inside the grace period', async () => {
    // An S3 endpoint that accepts connections and never answers holds /readyz open for READINESS_TIMEOUT_MS.
    const s3Connections: Socket[] = [];
    const silentS3 = createServer((socket) => s3Connections.push(socket));
    await new Promise<void>((resolve) => silentS3.listen(0, '127.0.0.1', resolve));
    const { port: s3Port } = silentS3.address() as AddressInfo;
    const port = await findFreePort();
    const api = startApi({
      DATABASE_URL: testDb.url,
      PORT: String(port),
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      S3_BUCKET: bucket.bucket,
      S3_ACCESS_KEY_ID: bucket.accessKeyId,
      S3_SECRET_ACCESS_KEY: bucket.secretAccessKey,
      READINESS_TIMEOUT_MS: '1500',
      SHUTDOWN_GRACE_SECONDS: '60',
      NODE_ENV: 'test',
    });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
        timeout: 20_000,
        message: 'the api to listen',
      });
      const inFlight = fetch(`http://127.0.0.1:${port}/readyz`);
      await waitFor(() => s3Connections.length > 0, {
        message: 'the readiness check to reach S3, so the request is in flight',
      });
      api.child.kill('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(503);
      const report = (await response.json()) as {
        checks: Record<string, { ok: boolean; error?: string }>;
      };
      expect(report.checks.db?.ok).toBe(true);
      expect(report.checks.s3).toMatchObject({ ok: false, error: 'timed out after 1500 ms' });
      const answered = Date.now();
      expect(await api.exited).toBe(0);
      expect(Date.now() - answered).toBeLessThan(10_000);
    } finally {
      api.child.kill('SIGKILL');
      for (const socket of s3Connections) socket.destroy();
      silentS3.close();
    }
  });
});
