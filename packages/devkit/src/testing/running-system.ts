/**
 * The whole system for browser tests: the dev orchestrator (`src/cli/up.ts`: embedded Postgres and S3, local
 * Stripe, api, worker) on free ports with its data in a temporary folder, and the chosen front ends built for
 * production and served by `vite preview`, whose proxy sends the API's paths to the api.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '../embedded-postgres';
import { findRepositoryRoot } from '../paths';
import { waitFor } from './wait-for';

/** Settings from the caller's shell that would point the system at real services instead of local ones. */
const OUTSIDE_SERVICES = [
  'DATABASE_URL',
  'S3_ENDPOINT',
  'STRIPE_SECRET_KEY',
  'STRIPE_API_URL',
  'REPLICATE_API_TOKEN',
  'REPLICATE_API_URL',
  'REPLICATE_WEBHOOK_SECRET',
  'SENDGRID_API_KEY',
  'PUBLIC_URL',
  'STOREFRONT_URL',
  'ADMIN_ORIGINS',
  'VITE_API_URL',
];

/** A front end of `apps/`, served for the test; `readyPath` answers 2xx once its proxy reaches the api. */
export interface FrontEnd {
  app: 'storefront' | 'admin';
  readyPath: string;
}

export interface SystemOptions {
  frontEnds: readonly FrontEnd[];
  /** More settings for the orchestrator, the api and the worker (they inherit its environment). */
  env?: (urls: { apiUrl: string; frontEndUrls: Record<string, string> }) => Record<string, string>;
}

export interface RunningSystem {
  /** Where each front end is served, by app name. */
  frontEndUrls: Record<string, string>;
  apiUrl: string;
  stripeUrl: string;
  databaseUrl: string;
  /** Everything the orchestrator and the preview servers printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: (text: string) => void },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so stopping it reaches everything it started.
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => options.log(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => options.log(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { process: child, exited };
}

async function stopGroup(child: Child, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  const pid = child.process.pid;
  if (!pid || child.process.exitCode !== null || child.process.signalCode !== null) return;
  process.kill(-pid, signal);
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

async function ok(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

function runToEnd(child: Child, what: string, output: () => string): Promise<void> {
  return child.exited.then(() => {
    if (child.process.exitCode !== 0) throw new Error(`${what} failed:\n${output().slice(-4000)}`);
  });
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const root = findRepositoryRoot();
  const devkitDir = path.join(root, 'packages/devkit');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'restoreclick-browser-'));
  // Embedded Postgres may run as another user when the tests run as root; it must reach its data folder.
  await chmod(dataDir, 0o755);
  const ports = {
    api: await findFreePort(),
    postgres: await findFreePort(),
    s3: await findFreePort(),
    stripe: await findFreePort(),
  };
  const frontEnds = await Promise.all(
    options.frontEnds.map(async (frontEnd) => {
      const port = await findFreePort();
      const dir = path.join(root, 'apps', frontEnd.app);
      return {
        ...frontEnd,
        port,
        url: `http://127.0.0.1:${port}`,
        dir,
        vite: path.join(dir, 'node_modules/.bin/vite'),
        // The build goes to the temporary folder, not the app's dist/.
        distDir: path.join(dataDir, `${frontEnd.app}-dist`),
      };
    }),
  );
  const frontEndUrls = Object.fromEntries(
    frontEnds.map((frontEnd) => [frontEnd.app, frontEnd.url]),
  );
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  let output = '';
  const log = (text: string) => (output += text);
  const children: Child[] = [];

  const baseEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const name of OUTSIDE_SERVICES) delete baseEnv[name];

  const stop = async () => {
    // Ctrl-C to the orchestrator's group, as a terminal would: it stops api and worker, then S3 and Postgres.
    for (const child of children.reverse()) await stopGroup(child, 'SIGINT', 60_000);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    // The builds run while the orchestrator starts, one after another (two cores).
    const built = frontEnds.reduce<Promise<void>>(
      (previous, frontEnd) =>
        previous.then(() =>
          runToEnd(
            start(
              frontEnd.vite,
              ['build', '--outDir', frontEnd.distDir, '--emptyOutDir', '--logLevel', 'warn'],
              { cwd: frontEnd.dir, env: baseEnv, log },
            ),
            `vite build of ${frontEnd.app}`,
            () => output,
          ),
        ),
      Promise.resolve(),
    );

    const storefrontUrl = frontEndUrls.storefront ?? `http://127.0.0.1:${await findFreePort()}`;
    const orchestrator = start(process.execPath, ['--import', 'tsx', 'src/cli/up.ts'], {
      cwd: devkitDir,
      env: {
        ...baseEnv,
        NODE_ENV: 'development',
        RESTORECLICK_DATA_DIR: dataDir,
        RESTORECLICK_FRONTENDS: 'false',
        // No restarts when a source file changes: the system under test stays the one that started.
        RESTORECLICK_WATCH: 'false',
        PORT: String(ports.api),
        PUBLIC_URL: apiUrl,
        STOREFRONT_URL: storefrontUrl,
        EMBEDDED_POSTGRES_PORT: String(ports.postgres),
        EMBEDDED_S3_PORT: String(ports.s3),
        LOCAL_STRIPE_PORT: String(ports.stripe),
        // The worker's health server would take its fixed default port; nothing here needs it.
        WORKER_HEALTH_PORT: '0',
        ...options.env?.({ apiUrl, frontEndUrls }),
      },
      log,
    });
    children.push(orchestrator);
    await built;
    const exited = () =>
      orchestrator.process.exitCode !== null || orchestrator.process.signalCode !== null;
    await waitFor(() => exited() || output.includes('RestoreClick is running'), {
      timeout: 180_000,
      interval: 250,
      message: 'the orchestrator to report the system running',
    });
    if (exited())
      throw new Error(`The orchestrator exited while starting:\n${output.slice(-4000)}`);

    for (const frontEnd of frontEnds) {
      const preview = start(
        frontEnd.vite,
        [
          'preview',
          '--outDir',
          frontEnd.distDir,
          '--host',
          '127.0.0.1',
          '--port',
          String(frontEnd.port),
          '--strictPort',
        ],
        { cwd: frontEnd.dir, env: { ...baseEnv, API_PROXY_TARGET: apiUrl }, log },
      );
      children.push(preview);
      await waitFor(() => ok(`${frontEnd.url}${frontEnd.readyPath}`), {
        timeout: 30_000,
        interval: 100,
        message: `the ${frontEnd.app} preview and its proxy to the api`,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    frontEndUrls,
    apiUrl,
    stripeUrl: `http://localhost:${ports.stripe}`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.postgres}/restoreclick`,
    output: () => output,
    stop,
  };
}
