/**
 * The SDK as a storefront developer gets it: `pnpm pack`ed, installed with npm into a clean project, type-checked
 * there under strict settings, and run from plain Node against the real API on a port. Needs a built `dist`.
 */
import { execFile } from 'node:child_process';
import { access, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStripe, startLocalStripe } from '@restoreclick/devkit';
import {
  createTestBucket,
  createTestDatabase,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import { createApp } from '../../../apps/api/src/app';
import type { ApiDependencies } from '../../../apps/api/src/dependencies';
import { createTestDependencies, TEST_WEBHOOK_SECRET } from '../../../apps/api/test/helpers';
import { jpeg } from '../../../apps/api/test/images';

const sdkDirectory = fileURLToPath(new URL('..', import.meta.url));
const consumerFixtures = fileURLToPath(new URL('./pack-consumer', import.meta.url));

interface CommandResult {
  code: number;
  stdout: string;
  /** The command line, its stdout and its stderr: what a failing assertion prints. */
  transcript: string;
}

/** Runs a command and reports how it ended; it never throws, so a failure can print the whole transcript. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const how = error?.killed ? ' (killed: timed out)' : '';
        resolve({
          code,
          stdout,
          transcript: `$ ${command} ${args.join(' ')}  [in ${options.cwd}, exit ${code}${how}]\n${stdout}\n${stderr}`,
        });
      },
    );
  });
}

async function mustRun(...parameters: Parameters<typeof run>): Promise<CommandResult> {
  const result = await run(...parameters);
  if (result.code !== 0) throw new Error(`A setup command failed:\n${result.transcript}`);
  return result;
}

/** Modules named by top-level import statements (not by text inside strings or comments). */
function importedModules(source: string): string[] {
  return [...source.matchAll(/^import\b[^;]*?["']([^"']+)["'];?$/gm)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
}

/**
 * The strict settings a careful storefront would use. `skipLibCheck` as nearly every project sets it: tRPC's own
 * declarations need Node's types; ours are proved self-contained by the package's imports test above.
 */
const consumerTsconfig = {
  compilerOptions: {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['es2022', 'dom'],
    types: [],
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['consumer.ts', 'misspelled.ts'],
};

describe('@restoreclick/sdk as an npm package', () => {
  let projectDirectory: string;
  let testDb: TestDatabase;
  let stripe: LocalStripe;
  let api: ApiDependencies;
  let server: ServerType;
  let apiUrl: string;

  async function prepareProject(): Promise<void> {
    await access(join(sdkDirectory, 'dist', 'index.js')).catch(() => {
      throw new Error('No dist: build the SDK first (pnpm --filter @restoreclick/sdk build).');
    });
    await mustRun('pnpm', ['pack', '--pack-destination', projectDirectory], { cwd: sdkDirectory });
    const tarball = (await readdir(projectDirectory)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack left no .tgz in ${projectDirectory}`);
    const typescript = JSON.parse(
      await readFile(join(sdkDirectory, 'node_modules', 'typescript', 'package.json'), 'utf8'),
    ) as { version: string };
    await cp(consumerFixtures, projectDirectory, { recursive: true });
    await writeFile(join(projectDirectory, 'tsconfig.json'), JSON.stringify(consumerTsconfig));
    await writeFile(join(projectDirectory, 'photo.jpg'), await jpeg(64, 48));
    await writeFile(
      join(projectDirectory, 'package.json'),
      JSON.stringify({ name: 'storefront-consumer', private: true, type: 'module' }),
    );
    await mustRun(
      'npm',
      ['install', '--no-audit', '--no-fund', `./${tarball}`, `typescript@${typescript.version}`],
      { cwd: projectDirectory, timeoutMs: 90_000 },
    );
  }

  async function startApi(): Promise<void> {
    testDb = await createTestDatabase();
    const bucket = await createTestBucket();
    stripe = await startLocalStripe({ webhookSecret: TEST_WEBHOOK_SECRET });
    api = createTestDependencies({
      db: testDb.db,
      pool: testDb.pool,
      databaseUrl: testDb.url,
      bucket,
      stripe,
    });
    const app = createApp({ deps: api, logger: pino({ level: 'silent' }), corsOrigins: [] });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    projectDirectory = await mkdtemp(join(tmpdir(), 'restoreclick-sdk-pack-'));
    await Promise.all([prepareProject(), startApi()]);
  });
  afterAll(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
    await api?.orderChanges.close();
    await stripe?.stop();
    await testDb?.destroy();
    if (projectDirectory) await rm(projectDirectory, { recursive: true, force: true });
  });

  it('installs with only @trpc/* as dependencies, and its JavaScript imports nothing else', async () => {
    const installed = join(projectDirectory, 'node_modules', '@restoreclick', 'sdk');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server']);
    expect(Object.values(manifest.dependencies)).toEqual([
      expect.stringMatching(/^\d/),
      expect.stringMatching(/^\d/),
    ]);
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'dist', 'package.json']);

    const javascript = await readFile(join(installed, 'dist', 'index.js'), 'utf8');
    expect(new Set(importedModules(javascript))).toEqual(new Set(['@trpc/client']));
    expect(javascript).not.toMatch(/\bimport\(|\brequire\(/);
    // The server's types are inlined: the declarations need nothing but tRPC's own.
    const declarations = await readFile(join(installed, 'dist', 'index.d.ts'), 'utf8');
    expect(importedModules(declarations).filter((name) => !name.startsWith('@trpc/'))).toEqual([]);
  });

  it('type-checks a strict storefront consumer and reports a misspelled procedure', async () => {
    const tsc = join(projectDirectory, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: projectDirectory,
    });
    const errors = result.transcript.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors, result.transcript).toEqual([
      expect.stringMatching(
        /^misspelled\.ts\(\d+,\d+\): error TS2339: Property 'gte' does not exist/,
      ),
    ]);
    expect(result.code, result.transcript).not.toBe(0);
  });

  it('runs the customer journey up to payment from plain Node, with a ponyfilled EventSource', async () => {
    const result = await run(process.execPath, ['journey.mjs'], {
      cwd: projectDirectory,
      env: { RESTORECLICK_API_URL: apiUrl, PHOTO_PATH: join(projectDirectory, 'photo.jpg') },
      timeoutMs: 45_000,
    });
    expect(result.code, result.transcript).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');

    expect(seen.health, result.transcript).toEqual({ ok: true });
    expect(seen.session.maxFiles).toBe(20);
    expect(seen.upload.uploaded).toEqual(['grandma.jpg']);
    expect(seen.upload.rejected).toEqual([
      {
        filename: 'notes.txt',
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('not a photo'),
      },
    ]);
    // Without XMLHttpRequest each photo is reported once, when sent.
    expect(seen.upload.progress).toEqual([
      [0, seen.upload.photoBytes, seen.upload.photoBytes],
      [1, 13, 13],
    ]);
    expect(seen.listed).toEqual(['grandma.jpg']);
    expect(seen.unknownSession).toEqual(['NOT_FOUND']);
    expect(seen.refusedRequest).toEqual({
      isUploadError: true,
      code: 'NOT_FOUND',
      status: 404,
      requestId: expect.any(String),
    });

    expect(seen.checkout.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(seen.order).toEqual({
      id: seen.checkout.orderId,
      status: 'pending_payment',
      images: ['grandma.jpg'],
    });
    expect(seen.watch.orderId).toBe(seen.checkout.orderId);
    expect(seen.watch.id).toBe(seen.watch.version);

    expect(seen.missingOrder).toEqual({
      isRestoreClickError: true,
      code: 'NOT_FOUND',
      requestId: expect.any(String),
    });
    expect(seen.noEventSource).toEqual({
      isRestoreClickError: true,
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining("import { EventSource } from 'eventsource'"),
    });
  });
});
