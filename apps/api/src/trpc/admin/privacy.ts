/**
 * `privacy.*`: a customer's data on request. Viewers may look a customer up; admins export everything we hold
 * about them as one JSON file (an access request) or erase them (an erasure request). Both write an audit row.
 */
import { z } from 'zod';
import {
  type CustomerDataExport,
  type CustomerErased,
  eraseCustomer,
  exportCustomerData,
  findCustomerForPrivacy,
  type PrivacyCustomer,
} from '@restoreclick/core';
import { adminProcedure, viewerProcedure } from '../admin-procedures';

export const ZCustomerEmailInput = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'email is at most 254 characters')
    .pipe(z.email('email must be the customer’s email address, like ada@example.com')),
});

export const findCustomerProcedure = viewerProcedure
  .input(ZCustomerEmailInput)
  .query(({ ctx, input }): Promise<PrivacyCustomer> => findCustomerForPrivacy(ctx.deps.db, input));

export const exportCustomerProcedure = adminProcedure
  .input(ZCustomerEmailInput)
  .mutation(({ ctx, input }): Promise<{ fileName: string; data: CustomerDataExport }> =>
    exportCustomerData(ctx.deps.db, { email: input.email, admin: ctx.actor }),
  );

export const ZEraseCustomerInput = ZCustomerEmailInput.extend({
  /** Why (a ticket number, "erasure request by email"): kept in the audit row. */
  reason: z.string().trim().max(1000, 'The reason is at most 1000 characters').optional(),
});

export const eraseCustomerProcedure = adminProcedure
  .input(ZEraseCustomerInput)
  .mutation(({ ctx, input }): Promise<CustomerErased> =>
    eraseCustomer(
      ctx.deps.db,
      { storage: ctx.deps.objectStore },
      { email: input.email, admin: ctx.actor, reason: input.reason ?? null },
    ),
  );

export const privacyProcedures = {
  findCustomer: findCustomerProcedure,
  exportCustomer: exportCustomerProcedure,
  eraseCustomer: eraseCustomerProcedure,
};
