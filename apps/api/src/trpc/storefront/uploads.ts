/** Upload sessions: start one, list its photos, remove a photo. The files themselves go to POST /uploads/:id/files. */
import { z } from 'zod';
import { createUploadSession, listUploads, removeUpload } from '@restoreclick/core';
import { publicProcedure } from '../init';

export const ZUploadSessionInput = z.object({
  uploadSessionId: z.uuid({
    message: 'uploadSessionId must be the id returned by uploads.createSession',
  }),
});
export const ZRemoveUploadInput = ZUploadSessionInput.extend({
  uploadId: z.uuid({ message: 'uploadId must be the id of a photo in this session' }),
});

export const createUploadSessionProcedure = publicProcedure.mutation(({ ctx }) =>
  createUploadSession(ctx.deps.db, {
    ...ctx.deps.uploads.limits,
    acceptedTypes: ctx.deps.uploads.acceptedTypes,
  }),
);

export const listUploadsProcedure = publicProcedure
  .input(ZUploadSessionInput)
  .query(({ ctx, input }) => listUploads(ctx.deps.db, input.uploadSessionId));

export const removeUploadProcedure = publicProcedure
  .input(ZRemoveUploadInput)
  .mutation(async ({ ctx, input }) => {
    await removeUpload(ctx.deps.db, ctx.deps.uploads, input);
    return { removed: true as const };
  });
