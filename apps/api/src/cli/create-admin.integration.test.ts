/**
 * `pnpm admin:create` as an operator runs it: a real process against DATABASE_URL, the password from
 * ADMIN_PASSWORD. It creates a user that can sign in, resets an existing one, and says what is wrong when it
 * cannot do either.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@restoreclick/core';
import { createTestDatabase, type TestDatabase } from '@restoreclick/devkit/testing';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function createAdmin(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/create-admin.ts', ...args], {
      cwd: apiDir,
      env: { ...process.env, ADMIN_PASSWORD: undefined, DATABASE_URL: undefined, ...env },
      // Not a terminal: the password must come from ADMIN_PASSWORD.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('pnpm admin:create', () => {
  let testDb: TestDatabase;
  let unmigrated: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    unmigrated = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await testDb?.destroy();
    await unmigrated?.destroy();
  });

  async function user(email: string) {
    return testDb.db
      .selectFrom('admin_users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
  }

  it('creates a user with the password from ADMIN_PASSWORD, then resets it when run again', async () => {
    const created = await createAdmin(
      ['--email', 'Ops@Example.com', '--name', 'Ops Team', '--role', 'viewer'],
      { DATABASE_URL: testDb.url, ADMIN_PASSWORD: 'first password of ops' },
    );
    expect(created).toMatchObject({
      code: 0,
      output: expect.stringContaining('Created viewer ops@example.com'),
    });
    const row = await user('ops@example.com');
    expect(row).toMatchObject({ name: 'Ops Team', role: 'viewer', disabled: false });
    expect(row?.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword('first password of ops', row?.password_hash ?? '')).toBe(true);

    await testDb.db
      .updateTable('admin_users')
      .set({ locked_until: new Date(Date.now() + 600_000), failed_login_count: 4 })
      .where('email', '=', 'ops@example.com')
      .execute();
    const reset = await createAdmin(['--email', 'ops@example.com', '--role', 'admin'], {
      DATABASE_URL: testDb.url,
      ADMIN_PASSWORD: 'second password of ops',
    });
    expect(reset).toMatchObject({
      code: 0,
      output: expect.stringContaining('Set a new password for ops@example.com (admin)'),
    });
    const after = await user('ops@example.com');
    expect(after).toMatchObject({
      name: 'Ops Team',
      role: 'admin',
      locked_until: null,
      failed_login_count: 0,
    });
    expect(await verifyPassword('second password of ops', after?.password_hash ?? '')).toBe(true);
    expect(await verifyPassword('first password of ops', after?.password_hash ?? '')).toBe(false);
  });

  it('explains what is missing or wrong instead of creating anything', async () => {
    const noPassword = await createAdmin(['--email', 'a@example.com'], {
      DATABASE_URL: testDb.url,
    });
    expect(noPassword.code).toBe(2);
    expect(noPassword.output).toContain('Set ADMIN_PASSWORD, or run this in a terminal');

    const noEmail = await createAdmin([], {
      DATABASE_URL: testDb.url,
      ADMIN_PASSWORD: 'long enough password',
    });
    expect(noEmail.code).toBe(2);
    expect(noEmail.output).toContain('--email is required.');
    expect(noEmail.output).toContain('Usage: pnpm admin:create');

    const shortPassword = await createAdmin(['--email', 'b@example.com'], {
      DATABASE_URL: testDb.url,
      ADMIN_PASSWORD: 'short',
    });
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.output).toContain('at least 12 characters');

    const notMigrated = await createAdmin(['--email', 'c@example.com'], {
      DATABASE_URL: unmigrated.url,
      ADMIN_PASSWORD: 'long enough password',
    });
    expect(notMigrated.code).toBe(2);
    expect(notMigrated.output).toContain('run pnpm db:migrate first');

    expect(await user('a@example.com')).toBeUndefined();
    expect(await user('b@example.com')).toBeUndefined();
  });
});
