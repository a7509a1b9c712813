/**
 * The whole system for browser tests: the dev orchestrator (`packages/devkit/src/cli/up.ts`: embedded Postgres
 * and S3, local Stripe, api, worker) on free ports with its data in a temporary folder, and the storefront
 * built for production and served by `vite preview`, whose proxy sends /trpc, /uploads and /download to the api.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, waitFor } from '@restoreclick/devkit/testing';

const storefrontDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const devkitDir = path.resolve(storefrontDir, '../../packages/devkit');
const viteBin = path.join(storefrontDir, 'node_modules/.bin/vite');

/** Settings from the caller's shell that would point the system at real services instead of local ones. */
const OUTSIDE_SERVICES = [
  'DATABASE_URL',
  'S3_ENDPOINT',
  'STRIPE_SECRET_KEY',
  'STRIPE_API_URL',
  'REPLICATE_API_TOKEN',
  'SENDGRID_API_KEY',
  'PUBLIC_URL',
  'STOREFRONT_URL',
  'VITE_API_URL',
];

export interface RunningSystem {
  storefrontUrl: string;
  apiUrl: string;
  stripeUrl: string;
  databaseUrl: string;
  /** Everything the orchestrator and the preview server printed, for failure messages. */
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

export async function startSystem(): Promise<RunningSystem> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'restoreclick-browser-'));
  // Embedded Postgres may run as another user when the tests run as root; it must reach its data folder.
  await chmod(dataDir, 0o755);
  const ports = {
    api: await findFreePort(),
    storefront: await findFreePort(),
    postgres: await findFreePort(),
    s3: await findFreePort(),
    stripe: await findFreePort(),
  };
  const storefrontUrl = `http://127.0.0.1:${ports.storefront}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const distDir = path.join(dataDir, 'storefront-dist');
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
    // The build runs while the orchestrator starts; it goes to the temporary folder, not the app's dist/.
    const build = start(
      viteBin,
      ['build', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: storefrontDir,
        env: baseEnv,
        log,
      },
    );
    const built = runToEnd(build, 'vite build', () => output);

    const orchestrator = start(process.execPath, ['--import', 'tsx', 'src/cli/up.ts'], {
      cwd: devkitDir,
      env: {
        ...baseEnv,
        NODE_ENV: 'development',
        RESTORECLICK_DATA_DIR: dataDir,
        RESTORECLICK_FRONTENDS: 'false',
        PORT: String(ports.api),
        PUBLIC_URL: apiUrl,
        STOREFRONT_PORT: String(ports.storefront),
        STOREFRONT_URL: storefrontUrl,
        EMBEDDED_POSTGRES_PORT: String(ports.postgres),
        EMBEDDED_S3_PORT: String(ports.s3),
        LOCAL_STRIPE_PORT: String(ports.stripe),
        // The worker's health server would take its fixed default port; nothing here needs it.
        WORKER_HEALTH_PORT: '0',
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

    const preview = start(
      viteBin,
      [
        'preview',
        '--outDir',
        distDir,
        '--host',
        '127.0.0.1',
        '--port',
        String(ports.storefront),
        '--strictPort',
      ],
      { cwd: storefrontDir, env: { ...baseEnv, API_PROXY_TARGET: apiUrl }, log },
    );
    children.push(preview);
    await waitFor(() => ok(`${storefrontUrl}/trpc/health`), {
      timeout: 30_000,
      interval: 100,
      message: 'the storefront preview and its proxy to the api',
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    storefrontUrl,
    apiUrl,
    stripeUrl: `http://localhost:${ports.stripe}`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.postgres}/restoreclick`,
    output: () => output,
    stop,
  };
}
