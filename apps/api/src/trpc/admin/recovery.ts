/**
 * `recovery.*`: an order's automatic refunds of photos no model could restore (viewers), and what admins may do
 * about them during the grace period: stop them, or issue them now.
 */
import { z } from 'zod';
import {
  type AutomaticRefundView,
  cancelAutomaticRefund,
  getAutomaticRefunds,
  issueAutomaticRefundNow,
  type RefundNowResult,
} from '@restoreclick/core';
import { adminProcedure, viewerProcedure } from '../admin-procedures';
import { ZId } from './inputs';

export const ZAutomaticRefundsInput = z.object({ id: ZId('id') });

export const automaticRefundsProcedure = viewerProcedure
  .input(ZAutomaticRefundsInput)
  .query(async ({ ctx, input }): Promise<{ refunds: AutomaticRefundView[] }> => ({
    refunds: await getAutomaticRefunds(ctx.deps.db, input.id),
  }));

export const ZCancelAutomaticRefundInput = z.object({
  id: ZId('id'),
  /** Only this photo's refund; all of the order's pending ones when omitted. */
  imageId: ZId('imageId').optional(),
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the refund is stopped (a note for the timeline)')
    .max(1000, 'The reason is at most 1000 characters'),
});

export const cancelAutomaticRefundProcedure = adminProcedure
  .input(ZCancelAutomaticRefundInput)
  .mutation(async ({ ctx, input }): Promise<{ refunds: AutomaticRefundView[] }> => ({
    refunds: await cancelAutomaticRefund(
      ctx.deps.db,
      {},
      {
        admin: ctx.actor,
        orderId: input.id,
        reason: input.reason,
        ...(input.imageId ? { imageId: input.imageId } : {}),
      },
    ),
  }));

export const ZRefundNowInput = z.object({
  id: ZId('id'),
  /** Only this photo; every failed photo of the order when omitted. */
  imageId: ZId('imageId').optional(),
  reason: z.string().trim().max(1000, 'The reason is at most 1000 characters').optional(),
});

export const refundNowProcedure = adminProcedure
  .input(ZRefundNowInput)
  .mutation(({ ctx, input }): Promise<RefundNowResult> =>
    issueAutomaticRefundNow(
      ctx.deps.db,
      { payments: ctx.deps.payments, jobs: ctx.deps.jobs },
      {
        admin: ctx.actor,
        orderId: input.id,
        ...(input.imageId ? { imageId: input.imageId } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    ),
  );
