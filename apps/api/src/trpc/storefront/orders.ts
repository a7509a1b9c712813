/**
 * A customer's order, opened with its access token and nothing else: read it, follow it live (SSE), share the
 * restored photos, ask for an email again, delete its photos. Every procedure resolves the token first; a wrong token is a
 * NOT_FOUND that says nothing about other orders.
 */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import {
  AppError,
  type CustomerOrder,
  deleteOrderPhotos,
  findOrderByAccessToken,
  getCustomerOrder,
  RESENDABLE_EMAILS,
  resendOrderEmail,
  shareOrder,
} from '@restoreclick/core';
import { publicProcedure } from '../init';

export const ZOrderToken = z
  .string()
  .min(1, 'token is required')
  .max(200, 'token is too long: use the link from your email');

export const ZOrderInput = z.object({ token: ZOrderToken });

export const getOrderProcedure = publicProcedure
  .input(ZOrderInput)
  .query(async ({ ctx, input }): Promise<CustomerOrder> => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    return getCustomerOrder(ctx.deps.db, ctx.deps.customerOrders, order);
  });

export const ZWatchOrderInput = ZOrderInput.extend({
  /** Sent back by the client after a reconnect: the version it has, so an unchanged order is not resent. */
  lastEventId: z.string().max(100).nullish(),
});

/**
 * `orders.watch`: the order now, then again after every change, over server-sent events. Changes arrive by
 * LISTEN/NOTIFY from the transactions that make them; nothing polls.
 */
export const watchOrderProcedure = publicProcedure
  .input(ZWatchOrderInput)
  .subscription(async function* ({ ctx, input, signal }) {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    let wake: (() => void) | undefined;
    let pending = true; // the first pass sends the current state
    const unsubscribe = await ctx.deps.orderChanges.subscribe(order.id, () => {
      pending = true;
      wake?.();
    });
    const stopped = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    let lastVersion = input.lastEventId ?? null;
    try {
      while (!signal?.aborted) {
        if (!pending) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
          continue;
        }
        pending = false;
        const current = await findOrderByAccessToken(ctx.deps.db, input.token);
        const view = await getCustomerOrder(ctx.deps.db, ctx.deps.customerOrders, current);
        if (view.version !== lastVersion) {
          lastVersion = view.version;
          yield tracked(view.version, view);
        }
      }
    } finally {
      unsubscribe();
    }
  });

export const ZShareOrderInput = ZOrderInput.extend({
  to: z.email('to must be an email address like friend@example.com').max(254),
  message: z.string().max(5000, 'the message is too long').nullish(),
});

export const shareOrderProcedure = publicProcedure
  .input(ZShareOrderInput)
  .mutation(async ({ ctx, input }) => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    const { messageMaxLength } = ctx.deps.share;
    if (input.message && input.message.length > messageMaxLength) {
      throw new AppError(
        'INVALID_INPUT',
        `The message is ${input.message.length} characters; keep it to ${messageMaxLength}.`,
        { field: 'message', limit: messageMaxLength },
      );
    }
    const shared = await shareOrder(ctx.deps.db, ctx.deps.share, {
      order,
      to: input.to,
      message: input.message ?? null,
      ip: ctx.clientIp,
    });
    return { shared: true as const, linkExpiresAt: shared.expiresAt };
  });

export const ZResendEmailInput = ZOrderInput.extend({ kind: z.enum(RESENDABLE_EMAILS) });

export const resendEmailProcedure = publicProcedure
  .input(ZResendEmailInput)
  .mutation(async ({ ctx, input }) => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    await resendOrderEmail(ctx.deps.db, ctx.deps, { order, kind: input.kind });
    return { queued: true as const };
  });

/**
 * `orders.deletePhotos`: deletes every file of the order now (originals, restored photos, previews) and stops
 * its download and share links; the order and its history stay. Asking again answers with the first deletion.
 */
export const deletePhotosProcedure = publicProcedure
  .input(ZOrderInput)
  .mutation(async ({ ctx, input }) => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    const deleted = await deleteOrderPhotos(
      ctx.deps.db,
      { storage: ctx.deps.objectStore },
      { order },
    );
    return {
      deleted: true as const,
      deletedAt: deleted.deletedAt,
      photos: deleted.photos,
      alreadyDeleted: deleted.alreadyDeleted,
    };
  });
