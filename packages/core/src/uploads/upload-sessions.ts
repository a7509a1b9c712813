/** Upload sessions: a customer's basket of photos before checkout. They expire; their files are temporary. */
import type { Database, Kysely, Upload } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { PAID_STATUSES } from '../orders/order-status';
import type { PaymentProvider } from '../payments/payment-provider';
import type { ObjectStore } from '../storage/object-store';
import { cancelStaleCheckout } from './basket-changed';
import type { UploadLimits } from './upload-limits';

export interface UploadSessionInfo {
  uploadSessionId: string;
  expiresAt: Date;
  limits: { maxFileBytes: number; maxFiles: number; maxPixels: number; acceptedTypes: string[] };
}

export interface UploadInfo {
  id: string;
  filename: string;
  mimeType: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  createdAt: Date;
}

export function toUploadInfo(upload: Upload): UploadInfo {
  return {
    id: upload.id,
    filename: upload.original_filename,
    mimeType: upload.mime_type,
    bytes: upload.bytes,
    width: upload.width,
    height: upload.height,
    sha256: upload.sha256,
    createdAt: upload.created_at,
  };
}

export async function createUploadSession(
  db: Kysely<Database>,
  limits: UploadLimits & { acceptedTypes: string[] },
  now = new Date(),
): Promise<UploadSessionInfo> {
  const session = await db
    .insertInto('upload_sessions')
    .values({ expires_at: new Date(now.getTime() + limits.sessionTtlHours * 3_600_000) })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return {
    uploadSessionId: session.id,
    expiresAt: session.expires_at,
    limits: {
      maxFileBytes: limits.maxFileBytes,
      maxFiles: limits.maxFiles,
      maxPixels: limits.maxPixels,
      acceptedTypes: limits.acceptedTypes,
    },
  };
}

/** The session, or an error that tells the customer to start over. */
export async function requireOpenUploadSession(
  db: Kysely<Database>,
  uploadSessionId: string,
  now = new Date(),
) {
  const session = await db
    .selectFrom('upload_sessions')
    .selectAll()
    .where('id', '=', uploadSessionId)
    .executeTakeFirst();
  if (!session) {
    throw new AppError('NOT_FOUND', 'This upload session does not exist. Start a new upload.');
  }
  if (session.expires_at <= now) {
    throw new AppError('GONE', 'This upload session has expired. Start a new upload.');
  }
  return session;
}

export async function listUploads(
  db: Kysely<Database>,
  uploadSessionId: string,
): Promise<UploadInfo[]> {
  await requireOpenUploadSession(db, uploadSessionId);
  const uploads = await db
    .selectFrom('uploads')
    .selectAll()
    .where('upload_session_id', '=', uploadSessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return uploads.map(toUploadInfo);
}

/** Removes a photo from the basket (its row and its file), unless the basket was already ordered. */
export async function removeUpload(
  db: Kysely<Database>,
  deps: { storage: ObjectStore; payments?: PaymentProvider },
  input: { uploadSessionId: string; uploadId: string },
): Promise<void> {
  await requireOpenUploadSession(db, input.uploadSessionId);
  const ordered = await db
    .selectFrom('orders')
    .select('order_number')
    .where('upload_session_id', '=', input.uploadSessionId)
    .where('status', 'in', PAID_STATUSES)
    .executeTakeFirst();
  if (ordered) {
    throw new AppError(
      'CONFLICT',
      `These photos belong to order ${ordered.order_number} and can no longer change.`,
    );
  }
  const removed = await db
    .deleteFrom('uploads')
    .where('id', '=', input.uploadId)
    .where('upload_session_id', '=', input.uploadSessionId)
    .returning('temp_key')
    .executeTakeFirst();
  if (!removed) throw new AppError('NOT_FOUND', 'This photo is not in the upload session.');
  await deps.storage.delete(removed.temp_key);
  await cancelStaleCheckout(db, deps.payments, input.uploadSessionId);
}
