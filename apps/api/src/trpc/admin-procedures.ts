/**
 * The three kinds of admin procedure. `adminPublicProcedure`: anyone (signing in, out, "who am I").
 * `viewerProcedure`: any signed-in admin user, UNAUTHORIZED otherwise. `adminProcedure`: role `admin`,
 * FORBIDDEN for viewers. Every mutation of the admin endpoint must also come from an allowed origin
 * (`ADMIN_ORIGINS`): the session cookie is SameSite=Strict, and this check stops cross-site requests even
 * from browsers or proxies that would send it anyway.
 */
import { TRPCError } from '@trpc/server';
import type { AdminActor } from '@restoreclick/core';
import { publicProcedure } from './init';

export const adminPublicProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (type === 'mutation' && !(ctx.origin && ctx.deps.admin.allowedOrigins.includes(ctx.origin))) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: ctx.origin
        ? `Changes are only accepted from the admin dashboard, not from ${ctx.origin}.`
        : 'Changes are only accepted from the admin dashboard (the request has no Origin header).',
    });
  }
  return next();
});

export const viewerProcedure = adminPublicProcedure.use(async ({ ctx, next }) => {
  const user = ctx.adminUser;
  if (!user) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Sign in to the admin dashboard first (your session may have expired).',
    });
  }
  const actor: AdminActor = { id: user.id, email: user.email, ip: ctx.clientIp };
  return next({ ctx: { ...ctx, adminUser: user, actor } });
});

export const adminProcedure = viewerProcedure.use(async ({ ctx, next }) => {
  if (ctx.adminUser.role !== 'admin') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Your account can look but not change anything; ask an admin to do this.',
    });
  }
  return next();
});
