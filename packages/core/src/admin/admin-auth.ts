/**
 * Signing admins in and out. A session is a random token in an httpOnly cookie; only its SHA-256 is stored.
 * Password guessing is stopped twice: per account (after `maxFailedLogins` wrong passwords the account is
 * locked for `lockoutMinutes`, and even the right password is refused meanwhile) and per client address
 * (the transport's `LoginThrottle`, shared by every api process).
 */
import { sql } from 'kysely';
import type { AdminRole, Database, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { generateToken, hashToken, looksLikeToken } from '../security/tokens';
import { recordAudit } from './audit-log';
import {
  describeWeakPassword,
  hashPassword,
  spendPasswordCheckTime,
  verifyPassword,
} from './passwords';

export interface AdminUserView {
  id: string;
  email: string;
  name: string | null;
  role: AdminRole;
}

/** Failed sign-ins counted per client address, across processes. */
export interface LoginThrottle {
  /** Throws RATE_LIMITED when this address has failed too often lately. */
  assertAllowed(key: string): Promise<void>;
  recordFailure(key: string): Promise<void>;
}

export interface AdminAuthDeps {
  throttle: LoginThrottle;
  sessionTtlHours: number;
  /** Wrong passwords in a row before the account is locked. */
  maxFailedLogins: number;
  lockoutMinutes: number;
  now?: () => Date;
}

export interface AdminSignIn {
  user: AdminUserView;
  /** Goes into the cookie; never stored. */
  sessionToken: string;
  expiresAt: Date;
}

export const WRONG_CREDENTIALS_MESSAGE = 'Email or password is wrong.';

export function normalizeAdminEmail(email: string): string {
  return email.trim().toLowerCase();
}

function describeWait(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The refusal while an account or address is locked out. */
export function tooManySignInsError(retryAfterMs: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    `Too many failed sign-ins. Try again in ${describeWait(retryAfterMs)}.`,
    { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
  );
}

function wrongCredentials(): AppError {
  return new AppError('UNAUTHORIZED', WRONG_CREDENTIALS_MESSAGE);
}

function viewOf(user: {
  id: string;
  email: string;
  name: string | null;
  role: AdminRole;
}): AdminUserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function signInAdmin(
  db: Kysely<Database>,
  deps: AdminAuthDeps,
  input: { email: string; password: string; ip: string; userAgent: string | null },
): Promise<AdminSignIn> {
  const now = deps.now?.() ?? new Date();
  await deps.throttle.assertAllowed(input.ip);
  const user = await db
    .selectFrom('admin_users')
    .selectAll()
    .where('email', '=', normalizeAdminEmail(input.email))
    .executeTakeFirst();
  if (user?.locked_until && user.locked_until > now) {
    throw tooManySignInsError(user.locked_until.getTime() - now.getTime());
  }
  if (!user) await spendPasswordCheckTime(input.password);
  const matches = user ? await verifyPassword(input.password, user.password_hash) : false;

  if (!user || !matches || user.disabled) {
    await deps.throttle.recordFailure(input.ip);
    if (user && !matches) await countFailure(db, deps, user.id, now, input.ip);
    throw wrongCredentials();
  }

  const sessionToken = generateToken();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 60 * 60 * 1000);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('admin_users')
      .set({ failed_login_count: 0, locked_until: null, last_login_at: now })
      .where('id', '=', user.id)
      .execute();
    // Sessions of this user that ran out are of no use to anyone: drop them while we are here.
    await trx
      .deleteFrom('admin_sessions')
      .where('admin_user_id', '=', user.id)
      .where('expires_at', '<=', now)
      .execute();
    await trx
      .insertInto('admin_sessions')
      .values({
        admin_user_id: user.id,
        token_hash: hashToken(sessionToken),
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 500) ?? null,
      })
      .execute();
    await recordAudit(trx, {
      adminUserId: user.id,
      action: 'auth.login',
      entityType: 'admin_user',
      entityId: user.id,
      ip: input.ip,
    });
  });
  return { user: viewOf(user), sessionToken, expiresAt };
}

/** Counts a wrong password; the one that reaches the limit locks the account and is answered as such. */
async function countFailure(
  db: Kysely<Database>,
  deps: AdminAuthDeps,
  adminUserId: string,
  now: Date,
  ip: string,
): Promise<void> {
  const lockedUntil = new Date(now.getTime() + deps.lockoutMinutes * 60 * 1000);
  const locked = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('admin_users')
      .set({
        // Old values on the right-hand side: the increment and the check see the same count.
        failed_login_count: sql<number>`case when failed_login_count + 1 >= ${deps.maxFailedLogins}
          then 0 else failed_login_count + 1 end`,
        locked_until: sql<Date | null>`case when failed_login_count + 1 >= ${deps.maxFailedLogins}
          then ${lockedUntil}::timestamptz else locked_until end`,
      })
      .where('id', '=', adminUserId)
      .returning(['locked_until'])
      .executeTakeFirst();
    const nowLocked = updated?.locked_until?.getTime() === lockedUntil.getTime();
    if (nowLocked) {
      await recordAudit(trx, {
        adminUserId: null,
        action: 'auth.locked_out',
        entityType: 'admin_user',
        entityId: adminUserId,
        after: {
          lockedUntil: lockedUntil.toISOString(),
          failedSignIns: deps.maxFailedLogins,
        },
        ip,
      });
    }
    return nowLocked;
  });
  if (locked) throw tooManySignInsError(lockedUntil.getTime() - now.getTime());
}

/** The signed-in user of a session token, or null when the token is unknown, expired or its user disabled. */
export async function resolveAdminSession(
  db: Kysely<Database>,
  sessionToken: string,
  options: { now?: Date } = {},
): Promise<(AdminUserView & { sessionId: string }) | null> {
  if (!looksLikeToken(sessionToken)) return null;
  const now = options.now ?? new Date();
  const row = await db
    .selectFrom('admin_sessions')
    .innerJoin('admin_users', 'admin_users.id', 'admin_sessions.admin_user_id')
    .select([
      'admin_sessions.id as sessionId',
      'admin_sessions.last_seen_at as lastSeenAt',
      'admin_users.id',
      'admin_users.email',
      'admin_users.name',
      'admin_users.role',
      'admin_users.disabled',
    ])
    .where('admin_sessions.token_hash', '=', hashToken(sessionToken))
    .where('admin_sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  // Seen at most once a minute: a busy dashboard must not turn every read into a write.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .updateTable('admin_sessions')
      .set({ last_seen_at: now })
      .where('id', '=', row.sessionId)
      .execute();
  }
  return { ...viewOf(row), sessionId: row.sessionId };
}

/** Ends the session of this token (nothing happens for an unknown one). */
export async function signOutAdmin(
  db: Kysely<Database>,
  input: { sessionToken: string; ip: string | null },
): Promise<void> {
  if (!looksLikeToken(input.sessionToken)) return;
  await db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('admin_sessions')
      .where('token_hash', '=', hashToken(input.sessionToken))
      .returning('admin_user_id')
      .executeTakeFirst();
    if (!ended) return;
    await recordAudit(trx, {
      adminUserId: ended.admin_user_id,
      action: 'auth.logout',
      entityType: 'admin_user',
      entityId: ended.admin_user_id,
      ip: input.ip,
    });
  });
}

/**
 * Creates an admin user, or sets a new password (and the name and role when given) for an existing one and
 * unlocks it. Used by `pnpm admin:create` and the development seed.
 */
export async function saveAdminUser(
  db: Kysely<Database>,
  input: { email: string; password: string; name?: string | null; role?: AdminRole },
): Promise<{ user: AdminUserView; created: boolean }> {
  const email = normalizeAdminEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new AppError('INVALID_INPUT', `"${input.email}" is not an email address.`);
  }
  const weakness = describeWeakPassword(input.password);
  if (weakness) throw new AppError('INVALID_INPUT', weakness);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('admin_users')
      .select(['id', 'role', 'name'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      const updated = await trx
        .updateTable('admin_users')
        .set({
          password_hash: passwordHash,
          failed_login_count: 0,
          locked_until: null,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.role ? { role: input.role } : {}),
        })
        .where('id', '=', existing.id)
        .returning(['id', 'email', 'name', 'role'])
        .executeTakeFirstOrThrow();
      // A new password ends every session opened with the old one.
      await trx.deleteFrom('admin_sessions').where('admin_user_id', '=', existing.id).execute();
      await recordAudit(trx, {
        adminUserId: null,
        action: 'admin_user.password_set',
        entityType: 'admin_user',
        entityId: existing.id,
        before: { role: existing.role, name: existing.name },
        after: { role: updated.role, name: updated.name },
        ip: null,
      });
      return { user: viewOf(updated), created: false };
    }
    const created = await trx
      .insertInto('admin_users')
      .values({
        email,
        name: input.name ?? null,
        role: input.role ?? 'admin',
        password_hash: passwordHash,
      })
      .returning(['id', 'email', 'name', 'role'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      adminUserId: null,
      action: 'admin_user.created',
      entityType: 'admin_user',
      entityId: created.id,
      after: { email: created.email, role: created.role, name: created.name },
      ip: null,
    });
    return { user: viewOf(created), created: true };
  });
}
