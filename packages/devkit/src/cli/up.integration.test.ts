/**
 * The first README command's promise: one command brings up Postgres, S3, api, worker, admin and
 * storefront; Ctrl-C stops all of it with no Postgres left behind; the next start keeps the data.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../embedded-postgres';
import { waitFor } from '../testing/wait-for';

const devkitDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Running {
  child: ChildProcess;
  output: () => string;
}

function startUp(env: Record<string, string>): Running {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/up.ts'], {
    cwd: devkitDir,
    env: { ...process.env, ...env, NODE_ENV: 'development', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the test can send SIGINT to the whole group as a terminal's Ctrl-C does.
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function pressCtrlC(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', resolve));
  if (running.child.pid) process.kill(-running.child.pid, 'SIGINT');
  return exited;
}

function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', dataDir], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('postgres') && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('npm start (dev orchestrator)', () => {
  let dataDir = '';
  let running: Running | undefined;

  afterAll(async () => {
    if (running?.child.exitCode === null && running.child.pid) {
      process.kill(-running.child.pid, 'SIGKILL');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings everything up, stops it all on Ctrl-C and keeps the data for the next start', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'restoreclick-up-'));
    await chmod(dataDir, 0o755);
    const ports = {
      PORT: await findFreePort(),
      ADMIN_PORT: await findFreePort(),
      STOREFRONT_PORT: await findFreePort(),
      EMBEDDED_POSTGRES_PORT: await findFreePort(),
      EMBEDDED_S3_PORT: await findFreePort(),
      LOCAL_STRIPE_PORT: await findFreePort(),
    };
    const env = {
      RESTORECLICK_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([key, value]) => [key, String(value)])),
    };
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${ports.EMBEDDED_POSTGRES_PORT}/restoreclick`;

    running = startUp(env);
    const current = running;
    await waitFor(() => current.output().includes('RestoreClick is running'), {
      timeout: 120_000,
      message: 'the startup banner',
    });

    const readiness = await fetch(`http://127.0.0.1:${ports.PORT}/readyz`);
    expect(readiness.status).toBe(200);
    const report = (await readiness.json()) as { checks: Record<string, { ok: boolean }> };
    expect(report.checks.db?.ok).toBe(true);
    expect(report.checks.s3?.ok).toBe(true);
    for (const port of [ports.ADMIN_PORT, ports.STOREFRONT_PORT]) {
      const page = await fetch(`http://localhost:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    expect(current.output()).toMatch(/worker\s+.*worker ready/);

    // The banner's admin login works, from the admin dev server's origin.
    const login = /Admin login {2}(\S+) \/ (\S+)/.exec(current.output());
    expect(login?.[1]).toBe('admin@restoreclick.local');
    const signIn = await fetch(`http://127.0.0.1:${ports.PORT}/admin/trpc/auth.login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: `http://localhost:${ports.ADMIN_PORT}`,
      },
      body: JSON.stringify({ email: login?.[1], password: login?.[2] }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toMatch(/^rc_admin_session=/);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(
      `insert into customers (email, email_normalized, name) values ('kept@example.com', 'kept@example.com', 'Kept')`,
    );
    await client.end();

    expect(await pressCtrlC(current)).toBe(130); // 128 + SIGINT, as shells report Ctrl-C
    expect(postgresProcessesFor(dataDir)).toEqual([]);
    // One signal per child, so the worker drains its jobs instead of treating a duplicate as "exit now".
    expect(current.output()).not.toMatch(/second signal|Force killing/);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    running = startUp(env);
    const second = running;
    await waitFor(() => second.output().includes('RestoreClick is running'), {
      timeout: 120_000,
      message: 'the second startup banner',
    });
    const again = new pg.Client({ connectionString: databaseUrl });
    await again.connect();
    const kept = await again.query(
      `select name from customers where email_normalized = 'kept@example.com'`,
    );
    await again.end();
    expect(kept.rows).toEqual([{ name: 'Kept' }]);
    // The same admin password as on the first start: it is kept in the data folder.
    expect(/Admin login {2}\S+ \/ (\S+)/.exec(second.output())?.[1]).toBe(login?.[2]);

    expect(await pressCtrlC(second)).toBe(130);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  }, 300_000);
});
