/**
 * Kysely table types, written by hand to match the migrations. Timestamps come back as Date;
 * identity columns (bigint) come back as strings, as node-postgres returns int8.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type BigSerial = ColumnType<string, never, never>;

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'completed',
  'completed_with_errors',
  'needs_attention',
  'payment_failed',
  'expired',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const IMAGE_STATUSES = ['pending', 'processing', 'restored', 'failed', 'purged'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const RESTORATION_JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RestorationJobStatus = (typeof RESTORATION_JOB_STATUSES)[number];

export const STRIPE_EVENT_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;
export type StripeEventStatus = (typeof STRIPE_EVENT_STATUSES)[number];

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const ADMIN_ROLES = ['admin', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const DOWNLOAD_KINDS = ['all', 'originals', 'restored'] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

export interface BillingAddress {
  name?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export interface CustomersTable {
  id: Generated<string>;
  email: string;
  email_normalized: string;
  name: string | null;
  erased_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AdminUsersTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  password_hash: string;
  role: ColumnType<AdminRole, AdminRole | undefined, AdminRole>;
  disabled: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AdminSessionsTable {
  id: Generated<string>;
  admin_user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
}

export interface UploadSessionsTable {
  id: Generated<string>;
  expires_at: Timestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UploadsTable {
  id: Generated<string>;
  upload_session_id: string;
  temp_key: string;
  original_filename: string;
  mime_type: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  created_at: CreatedAt;
}

export interface OrderNumberCountersTable {
  day: ColumnType<Date, string, string>;
  last_value: number;
}

export interface OrdersTable {
  id: Generated<string>;
  /** Assigned by a trigger inside Postgres: YYYYMMDD-000001, per UTC day. */
  order_number: ColumnType<string, string | undefined, never>;
  customer_id: string;
  upload_session_id: string | null;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  product_option: ColumnType<string, string | undefined, string>;
  currency: string;
  unit_amount: number;
  subtotal_amount: number;
  discount_amount: Generated<number>;
  tax_amount: Generated<number>;
  total_amount: number;
  amount_paid: number | null;
  amount_refunded: Generated<number>;
  access_token_hash: string;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_customer_id: string | null;
  billing_address: Json<BillingAddress> | null;
  paid_at: Timestamp | null;
  completed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  /** The processor's hosted checkout page for this order, while it is open. */
  checkout_url: string | null;
  checkout_expires_at: Timestamp | null;
  /** The email and name given at checkout (the customer row keeps the latest ones). */
  customer_email: string | null;
  customer_name: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const ACCESS_TOKEN_PURPOSES = ['success_page', 'email', 'admin'] as const;
export type AccessTokenPurpose = (typeof ACCESS_TOKEN_PURPOSES)[number];

export interface OrderAccessTokensTable {
  id: Generated<string>;
  order_id: string;
  token_hash: string;
  purpose: AccessTokenPurpose;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface OrderImagesTable {
  id: Generated<string>;
  order_id: string;
  upload_id: string | null;
  position: number;
  original_filename: string;
  mime_type: string;
  temp_key: string | null;
  original_key: string | null;
  restored_key: string | null;
  status: ColumnType<ImageStatus, ImageStatus | undefined, ImageStatus>;
  width: number | null;
  height: number | null;
  bytes: number | null;
  checksum_sha256: string | null;
  restored_width: number | null;
  restored_height: number | null;
  restored_bytes: number | null;
  restored_checksum_sha256: string | null;
  restored_mime_type: string | null;
  /** Small JPEG previews (longest side 480 px), made by the worker. */
  thumbnail_key: string | null;
  restored_thumbnail_key: string | null;
  error: string | null;
  /** When every file of the photo was deleted (status `purged`). */
  purged_at: Timestamp | null;
  /** When the original, its preview and its temporary copy were deleted (a key still set: under way). */
  original_purged_at: Timestamp | null;
  /** When the restored photo and its preview were deleted (a key still set: under way). */
  restored_purged_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RestorationJobsTable {
  id: Generated<string>;
  order_id: string;
  order_image_id: string;
  provider: string;
  model: string | null;
  prediction_id: string | null;
  attempt: Generated<number>;
  status: ColumnType<RestorationJobStatus, RestorationJobStatus | undefined, RestorationJobStatus>;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  predict_seconds: number | null;
  /** Provider cost in millionths of `cost_currency`'s unit. */
  cost_micros: number | null;
  cost_currency: Generated<string>;
  /** What was sent to the model (without the presigned URL's signature). */
  model_input: Json<Record<string, unknown>> | null;
  /** Pipeline steps, output checks and provider notes, for the admin's view of this attempt. */
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Which model of the product option's fallback chain this attempt ran (0 = the first). */
  chain_step: Generated<number>;
  /** When the attempt last asked its provider for a prediction (set before the request leaves). */
  prediction_requested_at: Timestamp | null;
  /** SHA-256 (hex) of the photo URL sent with that request: how a retry recognises the prediction it made. */
  prediction_input_sha256: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface OrderEventsTable {
  id: BigSerial;
  order_id: string;
  type: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus | null;
  /** Who caused it: `system`, `customer`, `stripe`, `worker`, or `admin:<admin user id>`. */
  actor: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  at: CreatedAt;
}

export interface AuditLogsTable {
  id: BigSerial;
  admin_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json | null;
  after: Json | null;
  ip: string | null;
  at: CreatedAt;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  livemode: Generated<boolean>;
  payload: Json;
  status: ColumnType<StripeEventStatus, StripeEventStatus | undefined, StripeEventStatus>;
  attempts: Generated<number>;
  error: string | null;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
}

export interface ProviderWebhookEventsTable {
  provider: string;
  id: string;
  type: string;
  /** What the webhook is about: Replicate's prediction id. */
  subject_id: string;
  payload: Json;
  received_at: CreatedAt;
}

export interface EmailMessagesTable {
  id: Generated<string>;
  order_id: string | null;
  customer_id: string | null;
  kind: string;
  to_address: string;
  template: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  subject: string | null;
  html: string | null;
  text: string | null;
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
  attempts: Generated<number>;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  idempotency_key: string;
  /** When the current send attempt began; a `sending` row whose sender died is checked with the provider. */
  sending_since: Timestamp | null;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const REFUND_REQUEST_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

/** A refund an admin asked for; its id is the payment processor's idempotency key. */
export interface RefundRequestsTable {
  id: Generated<string>;
  order_id: string;
  admin_user_id: string | null;
  /** What was asked for; null means everything that was left to refund. */
  requested_amount: number | null;
  amount: number;
  currency: string;
  reason: string | null;
  status: ColumnType<RefundRequestStatus, RefundRequestStatus | undefined, RefundRequestStatus>;
  provider_refund_id: string | null;
  provider_status: string | null;
  error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const AUTOMATIC_REFUND_STATUSES = [
  'pending',
  'issuing',
  'issued',
  'cancelled',
  'failed',
] as const;
export type AutomaticRefundStatus = (typeof AUTOMATIC_REFUND_STATUSES)[number];

/** The refund of one photo no model could restore: pending through a grace period, then issued once. */
export interface AutomaticRefundsTable {
  id: Generated<string>;
  order_id: string;
  order_image_id: string;
  status: ColumnType<
    AutomaticRefundStatus,
    AutomaticRefundStatus | undefined,
    AutomaticRefundStatus
  >;
  /** Why the photo is refunded, in words for the customer. */
  reason: string;
  due_at: Timestamp;
  currency: string;
  /** Fixed when the refund is claimed for issuing; every retry asks for the same amount. */
  amount: number | null;
  /** `auto-refund:{imageId}`: the processor's idempotency key. */
  idempotency_key: string;
  provider_refund_id: string | null;
  email_message_id: string | null;
  /** Who stopped or hurried it: `admin:<id>` or `worker`. */
  decided_by: string | null;
  cancel_reason: string | null;
  error: string | null;
  issued_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DownloadLinksTable {
  id: Generated<string>;
  order_id: string;
  token_hash: string;
  kind: DownloadKind;
  image_ids: string[] | null;
  expires_at: Timestamp;
  download_count: Generated<number>;
  last_downloaded_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  order_id: string;
  type: string;
  title: string;
  body: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface Database {
  customers: CustomersTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  upload_sessions: UploadSessionsTable;
  uploads: UploadsTable;
  order_number_counters: OrderNumberCountersTable;
  orders: OrdersTable;
  order_access_tokens: OrderAccessTokensTable;
  order_images: OrderImagesTable;
  restoration_jobs: RestorationJobsTable;
  order_events: OrderEventsTable;
  audit_logs: AuditLogsTable;
  stripe_events: StripeEventsTable;
  email_messages: EmailMessagesTable;
  provider_webhook_events: ProviderWebhookEventsTable;
  download_links: DownloadLinksTable;
  notifications: NotificationsTable;
  refund_requests: RefundRequestsTable;
  automatic_refunds: AutomaticRefundsTable;
}

export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type AdminUser = Selectable<AdminUsersTable>;
export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type OrderImage = Selectable<OrderImagesTable>;
export type NewOrderImage = Insertable<OrderImagesTable>;
export type RestorationJob = Selectable<RestorationJobsTable>;
export type OrderEvent = Selectable<OrderEventsTable>;
export type NewOrderEvent = Insertable<OrderEventsTable>;
export type StripeEvent = Selectable<StripeEventsTable>;
export type EmailMessage = Selectable<EmailMessagesTable>;
export type DownloadLink = Selectable<DownloadLinksTable>;
export type Upload = Selectable<UploadsTable>;
export type RefundRequest = Selectable<RefundRequestsTable>;
export type AutomaticRefund = Selectable<AutomaticRefundsTable>;
export type UploadSession = Selectable<UploadSessionsTable>;
