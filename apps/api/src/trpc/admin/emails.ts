/** `emails.*`: every email (the outbox without SendGrid), one email with its content, and sending one again. */
import { z } from 'zod';
import {
  type AdminEmailDetail,
  type AdminEmailSummary,
  getAdminEmail,
  listAdminEmails,
  resendEmailMessage,
} from '@restoreclick/core';
import { EMAIL_STATUSES } from '@restoreclick/db';
import { adminProcedure, viewerProcedure } from '../admin-procedures';
import { ZCursor, ZId, ZPageLimit } from './inputs';

export const ZAdminEmailListInput = z
  .object({
    status: z.array(z.enum(EMAIL_STATUSES)).max(EMAIL_STATUSES.length).optional(),
    kind: z.string().trim().max(50).optional(),
    /** Who delivered it: `outbox` (no SendGrid configured) or `sendgrid`. */
    provider: z.string().trim().max(50).optional(),
    search: z.string().trim().max(254, 'search is at most 254 characters').optional(),
    cursor: ZCursor,
    limit: ZPageLimit,
  })
  .default({ limit: 25 });

export const listEmailsProcedure = viewerProcedure
  .input(ZAdminEmailListInput)
  .query(({ ctx, input }): Promise<{ items: AdminEmailSummary[]; nextCursor: string | null }> =>
    listAdminEmails(ctx.deps.db, {
      limit: input.limit,
      statuses: input.status,
      kind: input.kind,
      provider: input.provider,
      search: input.search,
      cursor: input.cursor,
    }),
  );

export const ZEmailIdInput = z.object({ id: ZId('id') });

export const getEmailProcedure = viewerProcedure
  .input(ZEmailIdInput)
  .query(({ ctx, input }): Promise<AdminEmailDetail> => getAdminEmail(ctx.deps.db, input.id));

export const resendEmailProcedure = adminProcedure
  .input(ZEmailIdInput)
  .mutation(({ ctx, input }): Promise<{ emailMessageId: string }> =>
    resendEmailMessage(
      ctx.deps.db,
      { jobs: ctx.deps.jobs, repeatWindowSeconds: ctx.deps.admin.repeatWindowSeconds },
      { admin: ctx.actor, emailMessageId: input.id },
    ),
  );
