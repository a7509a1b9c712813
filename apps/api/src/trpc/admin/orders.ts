/** `orders.*`: the order list and one order (viewers), and what admins can do to an order. */
import { z } from 'zod';
import {
  type AdminOrderDetail,
  type AdminOrderPage,
  cancelUnpaidOrder,
  changeOrderStatus,
  getAdminOrder,
  listAdminOrders,
  ORDER_STATUSES,
  refundOrder,
  type RefundOrderResult,
  rerunOrderFulfilment,
  resendEmailMessage,
  retryOrderRestoration,
} from '@restoreclick/core';
import { adminProcedure, viewerProcedure } from '../admin-procedures';
import { atDayStart, ZCursor, ZDateBoundary, ZId, ZPageLimit, ZTimeZone } from './inputs';

export const ZAdminOrderListInput = z
  .object({
    statuses: z.array(z.enum(ORDER_STATUSES)).max(ORDER_STATUSES.length).optional(),
    from: ZDateBoundary('from').optional(),
    to: ZDateBoundary('to').optional(),
    /** Where `from` and `to` days begin (the admin's own time zone). */
    timeZone: ZTimeZone,
    search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
    cursor: ZCursor,
    limit: ZPageLimit,
  })
  .default({ limit: 25, timeZone: 'UTC' })
  .transform(({ from, to, timeZone, ...rest }) => ({
    ...rest,
    ...(from ? { from: atDayStart(from, timeZone) } : {}),
    ...(to ? { to: atDayStart(to, timeZone) } : {}),
  }));

export const listOrdersProcedure = viewerProcedure
  .input(ZAdminOrderListInput)
  .query(({ ctx, input }): Promise<AdminOrderPage> => listAdminOrders(ctx.deps.db, input));

export const ZOrderIdInput = z.object({ id: ZId('id') });

export const getOrderProcedure = viewerProcedure
  .input(ZOrderIdInput)
  .query(({ ctx, input }): Promise<AdminOrderDetail> =>
    getAdminOrder(ctx.deps.db, ctx.deps.admin.orderDetail, input.id),
  );

export const ZChangeStatusInput = ZOrderIdInput.extend({
  to: z.enum(ORDER_STATUSES),
  note: z
    .string()
    .trim()
    .min(1, 'Say why you change the status (a note for the timeline)')
    .max(1000, 'The note is at most 1000 characters'),
});

export const changeStatusProcedure = adminProcedure
  .input(ZChangeStatusInput)
  .mutation(async ({ ctx, input }): Promise<AdminOrderDetail> => {
    await changeOrderStatus(ctx.deps.db, {
      admin: ctx.actor,
      orderId: input.id,
      to: input.to,
      note: input.note,
    });
    return getAdminOrder(ctx.deps.db, ctx.deps.admin.orderDetail, input.id);
  });

export const ZRetryRestorationInput = ZOrderIdInput.extend({ imageId: ZId('imageId').optional() });

export const retryRestorationProcedure = adminProcedure
  .input(ZRetryRestorationInput)
  .mutation(({ ctx, input }): Promise<{ retried: number }> =>
    retryOrderRestoration(
      ctx.deps.db,
      {
        jobs: ctx.deps.jobs,
        restorationProvider: ctx.deps.fulfilment.restorationProvider,
      },
      { admin: ctx.actor, orderId: input.id, ...(input.imageId ? { imageId: input.imageId } : {}) },
    ),
  );

export const ZResendOrderEmailInput = ZOrderIdInput.extend({
  emailMessageId: ZId('emailMessageId'),
});

export const resendOrderEmailProcedure = adminProcedure
  .input(ZResendOrderEmailInput)
  .mutation(({ ctx, input }): Promise<{ emailMessageId: string }> =>
    resendEmailMessage(
      ctx.deps.db,
      { jobs: ctx.deps.jobs, repeatWindowSeconds: ctx.deps.admin.repeatWindowSeconds },
      { admin: ctx.actor, emailMessageId: input.emailMessageId, orderId: input.id },
    ),
  );

export const ZRefundInput = ZOrderIdInput.extend({
  amount: z
    .number()
    .int('amount is in minor units (cents): a whole number')
    .positive('amount must be more than 0')
    .max(100_000_000)
    .optional(),
  reason: z.string().trim().max(500, 'The reason is at most 500 characters').optional(),
});

export const refundProcedure = adminProcedure
  .input(ZRefundInput)
  .mutation(({ ctx, input }): Promise<RefundOrderResult> =>
    refundOrder(
      ctx.deps.db,
      { payments: ctx.deps.payments, repeatWindowSeconds: ctx.deps.admin.repeatWindowSeconds },
      {
        admin: ctx.actor,
        orderId: input.id,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    ),
  );

export const rerunFulfilmentProcedure = adminProcedure
  .input(ZOrderIdInput)
  .mutation(({ ctx, input }): Promise<{ result: string }> =>
    rerunOrderFulfilment(ctx.deps.db, ctx.deps.fulfilment, { admin: ctx.actor, orderId: input.id }),
  );

export const ZCancelInput = ZOrderIdInput.extend({
  note: z.string().trim().max(1000, 'The note is at most 1000 characters').optional(),
});

export const cancelProcedure = adminProcedure
  .input(ZCancelInput)
  .mutation(async ({ ctx, input }): Promise<AdminOrderDetail> => {
    await cancelUnpaidOrder(ctx.deps.db, ctx.deps.fulfilment, {
      admin: ctx.actor,
      orderId: input.id,
      ...(input.note ? { note: input.note } : {}),
    });
    return getAdminOrder(ctx.deps.db, ctx.deps.admin.orderDetail, input.id);
  });
