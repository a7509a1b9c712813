/** `business.summary`: orders, revenue, refunds and costs over the last N days. */
import { z } from 'zod';
import { type BusinessSummary, summarizeBusiness } from '@restoreclick/core';
import { viewerProcedure } from '../admin-procedures';
import { ZTimeZone } from './inputs';

export const ZBusinessSummaryInput = z
  .object({
    days: z
      .number()
      .int()
      .min(1, 'days must be at least 1')
      .max(365, 'days must be at most 365')
      .default(30),
    /** The admin's time zone: where each day of the summary begins. */
    timeZone: ZTimeZone,
  })
  .default({ days: 30, timeZone: 'UTC' });

export const businessSummaryProcedure = viewerProcedure
  .input(ZBusinessSummaryInput)
  .query(({ ctx, input }): Promise<BusinessSummary> =>
    summarizeBusiness(
      ctx.deps.db,
      { costs: ctx.deps.admin.costs, currency: ctx.deps.admin.currency },
      { days: input.days, timeZone: input.timeZone },
    ),
  );
