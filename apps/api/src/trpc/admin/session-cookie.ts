/**
 * The admin session cookie: `rc_admin_session`, httpOnly (scripts cannot read it), SameSite=Strict (other
 * sites' pages cannot send it), scoped to /admin, and Secure in production.
 */
export const ADMIN_SESSION_COOKIE = 'rc_admin_session';

export function readAdminSessionCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === ADMIN_SESSION_COOKIE) {
      const value = part.slice(separator + 1).trim();
      return value || null;
    }
  }
  return null;
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${ADMIN_SESSION_COOKIE}=${value}`,
    'Path=/admin',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean, now = new Date()) {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return cookie(token, maxAge, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return cookie('', 0, secure);
}
