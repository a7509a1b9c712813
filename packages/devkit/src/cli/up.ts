/**
 * `npm start` / `pnpm dev`: the whole system on one machine. Starts embedded Postgres and S3 (unless
 * DATABASE_URL / S3_ENDPOINT point elsewhere), applies migrations, then runs the api, worker, admin and
 * storefront in watch mode, prints where everything is, and on Ctrl-C or SIGTERM stops it all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import { createDb, migrateToLatest } from '@restoreclick/db';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../embedded-postgres';
import { type DevAdminCredentials, ensureDevAdmin } from '../dev-admin';
import { dataDirectory, findRepositoryRoot } from '../paths';
import { startEmbeddedS3 } from '../s3-server';
import { startLocalStripe } from '../stripe/local-stripe';

interface ProcessSpec {
  name: string;
  cwd: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
const RESET = '\x1b[0m';

function numberFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65_535) {
    throw new Error(`${name} must be a port number (got "${value}")`);
  }
  return parsed;
}

function prefixLines(name: string, color: string, stream: NodeJS.ReadableStream | null) {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`${color}${name.padEnd(10)}${RESET} ${line}\n`);
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const children = new Map<string, ChildProcess>();
const stopping = { value: false };
const stops: Array<() => Promise<void>> = [];

async function stopEverything(): Promise<void> {
  stopping.value = true;
  await stopChildren(children);
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
}

async function main(): Promise<void> {
  const root = findRepositoryRoot();
  const dataDir = process.env.RESTORECLICK_DATA_DIR ?? dataDirectory();
  const ports = {
    api: numberFromEnv('PORT', 3000),
    admin: numberFromEnv('ADMIN_PORT', 5173),
    storefront: numberFromEnv('STOREFRONT_PORT', 5174),
    postgres: numberFromEnv('EMBEDDED_POSTGRES_PORT', 54329),
    s3: numberFromEnv('EMBEDDED_S3_PORT', 4569),
    stripe: numberFromEnv('LOCAL_STRIPE_PORT', 12111),
  };
  const frontends = process.env.RESTORECLICK_FRONTENDS !== 'false';
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env.NODE_ENV = env.NODE_ENV ?? 'development';
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  // Runs on Ctrl-C or SIGTERM: children first (each in its own process group, see below), then S3, then
  // Postgres (Ctrl-C also reaches Postgres itself, which is in our process group, and it shuts down fast). Children may
  // take their own grace period, so the hook gets longer than async-exit-hook's 10 s default.
  exitHook.forceExitTimeout(45_000);
  exitHook((done) => {
    void stopEverything().then(done);
  });

  if (!env.DATABASE_URL) {
    console.log(`Starting embedded Postgres (data in ${path.join(dataDir, 'postgres')}) …`);
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: ports.postgres,
      persistent: true,
    });
    stops.push(() => postgres.stop());
    await postgres.ensureDatabase('restoreclick');
    env.DATABASE_URL = postgres.urlFor('restoreclick');
  }
  if (!env.S3_ENDPOINT) {
    const bucket = env.S3_BUCKET ?? 'restoreclick';
    const s3 = await startEmbeddedS3({
      directory: path.join(dataDir, 's3'),
      port: ports.s3,
      buckets: [bucket],
    });
    stops.push(() => s3.stop());
    Object.assign(env, {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
  }

  const apiUrl = `http://localhost:${ports.api}`;
  if (!env.STRIPE_SECRET_KEY) {
    const webhookSecret = 'whsec_local_restoreclick';
    const stripe = await startLocalStripe({
      port: ports.stripe,
      webhookSecret,
      webhookUrl: `${apiUrl}/webhooks/stripe`,
      publicUrl: `http://localhost:${ports.stripe}`,
      asyncPaymentDelayMs: 10_000,
      log: (message) => console.log(`stripe     ${message}`),
    });
    stops.push(() => stripe.stop());
    Object.assign(env, {
      STRIPE_SECRET_KEY: stripe.apiKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: stripe.url,
      STOREFRONT_URL: env.STOREFRONT_URL ?? `http://localhost:${ports.storefront}`,
    });
  }

  const { db } = createDb({ connectionString: env.DATABASE_URL, maxConnections: 1 });
  let devAdmin: DevAdminCredentials | undefined;
  try {
    const results = await migrateToLatest(db);
    for (const result of results)
      console.log(`Migration ${result.migrationName}: ${result.status}`);
    // A development system gets an admin to sign in with; production never runs this orchestrator's seed.
    if (env.NODE_ENV !== 'production') {
      devAdmin = await ensureDevAdmin(db, dataDir, {
        ...(env.ADMIN_SEED_EMAIL ? { email: env.ADMIN_SEED_EMAIL } : {}),
        ...(env.ADMIN_SEED_PASSWORD ? { password: env.ADMIN_SEED_PASSWORD } : {}),
      });
    }
  } finally {
    await db.destroy();
  }

  // Tests that drive a whole system set RESTORECLICK_WATCH=false: an edit elsewhere must not restart it mid-test.
  const tsxArgs =
    process.env.RESTORECLICK_WATCH === 'false'
      ? ['src/main.ts']
      : ['watch', '--clear-screen=false', 'src/main.ts'];
  const specs: ProcessSpec[] = [
    {
      name: 'api',
      cwd: path.join(root, 'apps/api'),
      command: 'node_modules/.bin/tsx',
      args: tsxArgs,
      env: {
        PORT: String(ports.api),
        PUBLIC_URL: env.PUBLIC_URL ?? apiUrl,
        // The admin dev server may run on another port (ADMIN_PORT): its mutations must be accepted.
        ADMIN_ORIGINS:
          env.ADMIN_ORIGINS ??
          [
            env.PUBLIC_URL ?? apiUrl,
            `http://localhost:${ports.admin}`,
            `http://127.0.0.1:${ports.admin}`,
          ].join(','),
      },
    },
    {
      name: 'worker',
      cwd: path.join(root, 'apps/worker'),
      command: 'node_modules/.bin/tsx',
      args: tsxArgs,
    },
  ];
  if (frontends) {
    for (const [name, port] of [
      ['admin', ports.admin],
      ['storefront', ports.storefront],
    ] as const) {
      specs.push({
        name,
        cwd: path.join(root, 'apps', name),
        command: 'node_modules/.bin/vite',
        args: ['--port', String(port), '--strictPort'],
        env: { API_PROXY_TARGET: apiUrl },
      });
    }
  }

  specs.forEach((spec, index) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: Ctrl-C in the terminal reaches only us, and we send each child exactly one
      // SIGTERM. Otherwise a child would get the terminal's SIGINT and tsx's relayed copy, take the second as
      // "exit now", and drop its in-flight jobs.
      detached: true,
    });
    const color = COLORS[index % COLORS.length] ?? '';
    prefixLines(spec.name, color, child.stdout);
    prefixLines(spec.name, color, child.stderr);
    children.set(spec.name, child);
    child.on('exit', (code, signal) => {
      children.delete(spec.name);
      if (stopping.value) return;
      console.error(`${spec.name} exited (${signal ?? `code ${code}`}); stopping everything.`);
      process.kill(process.pid, 'SIGTERM');
    });
  });

  if (await waitForHttp(`${apiUrl}/readyz`, 90_000)) {
    const lines = [
      '',
      'RestoreClick is running:',
      `  API          ${apiUrl}   (readiness: ${apiUrl}/readyz)`,
      ...(frontends
        ? [
            `  Admin        http://localhost:${ports.admin}`,
            `  Storefront   http://localhost:${ports.storefront}`,
          ]
        : []),
      `  Postgres     ${env.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}`,
      `  S3           ${env.S3_ENDPOINT} (bucket ${env.S3_BUCKET})`,
      `  Stripe       ${env.STRIPE_API_URL ?? 'api.stripe.com'}`,
      `  Data         ${dataDir}`,
      ...(devAdmin
        ? [
            devAdmin.current
              ? `  Admin login  ${devAdmin.email} / ${devAdmin.password}   (kept in ${devAdmin.file})`
              : `  Admin login  ${devAdmin.email} (its password was changed since ${devAdmin.file} was written)`,
          ]
        : []),
      'Press Ctrl-C to stop everything.',
      '',
    ];
    console.log(lines.join('\n'));
  } else if (!stopping.value) {
    console.error(
      `The API did not become ready at ${apiUrl}/readyz within 90 s; see its log above.`,
    );
  }
}

async function stopChildren(children: Map<string, ChildProcess>): Promise<void> {
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof EmbeddedPostgresError ? message : `restoreclick dev failed: ${message}`,
  );
  await stopEverything();
  process.exit(1);
});
