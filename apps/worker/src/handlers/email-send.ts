/** `email.send`: delivers one stored message through the configured transport (SendGrid or the outbox). */
import { AppError, sendEmailMessage } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import { type JobHandler, PermanentJobError } from '../job-handler';

export function emailSendHandler(deps: WorkerDependencies): JobHandler<'email.send'> {
  return async ({ emailMessageId }, context) => {
    try {
      const outcome = await sendEmailMessage(deps.db, deps.email, { emailMessageId });
      context.logger.info({ emailMessageId, ...outcome }, 'email');
      return outcome;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw new PermanentJobError(error.message, { cause: error });
      }
      throw error;
    }
  };
}
