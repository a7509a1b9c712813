/**
 * The admin account of a development system: admin@restoreclick.local, with a random password made on the
 * first start and kept in the data folder (`dev-admin.json`, readable only by its owner), so the startup
 * banner can print credentials that work. `ADMIN_SEED_EMAIL` / `ADMIN_SEED_PASSWORD` choose them instead
 * (tests that drive a whole system). Never used in production: `npm start` is development only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { saveAdminUser, verifyPassword } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';

export const DEV_ADMIN_EMAIL = 'admin@restoreclick.local';
export const DEV_ADMIN_FILE = 'dev-admin.json';

export interface DevAdminCredentials {
  email: string;
  password: string;
  /** False when someone set another password since (then the file's is out of date). */
  current: boolean;
  file: string;
}

export async function ensureDevAdmin(
  db: Kysely<Database>,
  dataDir: string,
  chosen: { email?: string; password?: string } = {},
): Promise<DevAdminCredentials> {
  const file = path.join(dataDir, DEV_ADMIN_FILE);
  if (chosen.password) {
    // Chosen credentials win on every start, whatever the account had before.
    const credentials = { email: chosen.email ?? DEV_ADMIN_EMAIL, password: chosen.password };
    await saveAdminUser(db, { ...credentials, name: 'Development admin', role: 'admin' });
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return { ...credentials, current: true, file };
  }
  const saved = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as { email: string; password: string })
    : undefined;
  if (saved && (!chosen.email || chosen.email === saved.email)) {
    const user = await db
      .selectFrom('admin_users')
      .select('password_hash')
      .where('email', '=', saved.email)
      .executeTakeFirst();
    if (!user) {
      await saveAdminUser(db, { ...saved, name: 'Development admin', role: 'admin' });
      return { ...saved, current: true, file };
    }
    return { ...saved, current: await verifyPassword(saved.password, user.password_hash), file };
  }
  const credentials = {
    email: chosen.email ?? DEV_ADMIN_EMAIL,
    password: randomBytes(15).toString('base64url'),
  };
  await saveAdminUser(db, { ...credentials, name: 'Development admin', role: 'admin' });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { ...credentials, current: true, file };
}
