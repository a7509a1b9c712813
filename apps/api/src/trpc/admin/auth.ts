/** `auth.*`: sign in (sets the session cookie), sign out (ends the session, clears it), and who is signed in. */
import { z } from 'zod';
import { type AdminUserView, signInAdmin, signOutAdmin } from '@restoreclick/core';
import { adminPublicProcedure } from '../admin-procedures';
import { clearedSessionCookie, sessionCookie } from './session-cookie';

export const ZLoginInput = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const loginProcedure = adminPublicProcedure
  .input(ZLoginInput)
  .mutation(async ({ ctx, input }): Promise<{ user: AdminUserView }> => {
    const signedIn = await signInAdmin(ctx.deps.db, ctx.deps.admin.auth, {
      email: input.email,
      password: input.password,
      ip: ctx.clientIp,
      userAgent: ctx.userAgent,
    });
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(signedIn.sessionToken, signedIn.expiresAt, ctx.deps.admin.secureCookies),
    );
    return { user: signedIn.user };
  });

export const ZLogoutInput = z.object({}).optional();

export const logoutProcedure = adminPublicProcedure
  .input(ZLogoutInput)
  .mutation(async ({ ctx }): Promise<{ ok: true }> => {
    if (ctx.adminSessionToken) {
      await signOutAdmin(ctx.deps.db, { sessionToken: ctx.adminSessionToken, ip: ctx.clientIp });
    }
    ctx.resHeaders.append('set-cookie', clearedSessionCookie(ctx.deps.admin.secureCookies));
    return { ok: true };
  });

export const meProcedure = adminPublicProcedure.query(({ ctx }): { user: AdminUserView | null } => {
  const user = ctx.adminUser;
  return {
    user: user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null,
  };
});
