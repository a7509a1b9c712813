/**
 * The ordered list of migrations. A static map (not a folder scan) so bundled builds carry them.
 * Names sort by date; never edit or rename a landed entry, add a new one.
 */
import type { Migration } from 'kysely';
import * as initialSchema from './2026_11_23_001_initial_schema';
import * as checkoutAndAccess from './2026_11_23_002_checkout_and_access';
import * as restorationAndEmail from './2026_11_23_003_restoration_and_email';
import * as customerSide from './2026_11_23_004_customer_side';
import * as emailSendInDoubt from './2026_11_23_005_email_send_in_doubt';
import * as admin from './2026_11_23_006_admin';
import * as failureRecovery from './2026_11_23_007_failure_recovery';
import * as privacy from './2026_11_23_008_privacy';
import * as predictionRequests from './2026_11_23_009_prediction_requests';

export const migrations: Record<string, Migration> = {
  '2026_11_23_001_initial_schema': initialSchema,
  '2026_11_23_002_checkout_and_access': checkoutAndAccess,
  '2026_11_23_003_restoration_and_email': restorationAndEmail,
  '2026_11_23_004_customer_side': customerSide,
  '2026_11_23_005_email_send_in_doubt': emailSendInDoubt,
  '2026_11_23_006_admin': admin,
  '2026_11_23_007_failure_recovery': failureRecovery,
  '2026_11_23_008_privacy': privacy,
  '2026_11_23_009_prediction_requests': predictionRequests,
};
