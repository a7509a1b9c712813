/** `downloads.create`: a ZIP link for the order's photos (all, originals or restored; optionally some of them). */
import { z } from 'zod';
import { createDownloadLink, findOrderByAccessToken } from '@restoreclick/core';
import { publicProcedure } from '../init';
import { ZOrderInput } from './orders';

export const ZCreateDownloadInput = ZOrderInput.extend({
  kind: z.enum(['all', 'originals', 'restored']),
  imageIds: z
    .array(z.uuid('imageIds must be ids of photos in this order'))
    .min(1)
    .max(500)
    .optional(),
});

export interface DownloadCreated {
  url: string;
  fileName: string;
  expiresAt: Date;
}

export const createDownloadProcedure = publicProcedure
  .input(ZCreateDownloadInput)
  .mutation(async ({ ctx, input }): Promise<DownloadCreated> => {
    const order = await findOrderByAccessToken(ctx.deps.db, input.token);
    const link = await createDownloadLink(ctx.deps.db, {
      order,
      kind: input.kind,
      ...(input.imageIds ? { imageIds: input.imageIds } : {}),
      ttlDays: ctx.deps.downloads.ttlDays,
    });
    return {
      url: `${ctx.deps.share.apiUrl.replace(/\/+$/, '')}/download/${link.token}`,
      fileName: link.fileName,
      expiresAt: link.expiresAt,
    };
  });
