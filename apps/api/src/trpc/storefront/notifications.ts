/** The order page's notifications: list with the unread count, and mark read. */
import { z } from 'zod';
import {
  findOrderByAccessToken,
  listCustomerNotifications,
  markNotificationsRead,
} from '@restoreclick/core';
import { publicProcedure } from '../init';
import { ZOrderInput } from './orders';

export const listNotificationsProcedure = publicProcedure
  .input(ZOrderInput)
  .query(async ({ ctx, input }) => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    return listCustomerNotifications(ctx.deps.db, order.id);
  });

export const ZMarkReadInput = ZOrderInput.extend({
  /** Omit to mark every notification of the order read. */
  ids: z.array(z.uuid()).max(200).optional(),
});

export const markNotificationsReadProcedure = publicProcedure
  .input(ZMarkReadInput)
  .mutation(async ({ ctx, input }) => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    return { marked: await markNotificationsRead(ctx.deps.db, order.id, input.ids) };
  });
