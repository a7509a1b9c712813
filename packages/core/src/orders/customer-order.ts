/**
 * What a customer sees of their order, read with its access token: overall status and progress, each photo
 * with short-lived presigned URLs (original, restored, thumbnails), and a timeline in plain words. `version`
 * changes whenever anything shown changes, so a live subscription sends only real changes and resumes from it.
 */
import { createHash } from 'node:crypto';
import type {
  Database,
  ImageStatus,
  Kysely,
  Order,
  OrderImage,
  OrderStatus,
} from '@restoreclick/db';
import { deletionDatesFrom, type RetentionPolicy, retentionStartOf } from '../privacy/retention';
import { photosInUse } from '../privacy/photo-deletion-rules';
import type { ObjectStore } from '../storage/object-store';

export interface CustomerOrderImage {
  id: string;
  position: number;
  filename: string;
  status: ImageStatus;
  width: number | null;
  height: number | null;
  restoredWidth: number | null;
  restoredHeight: number | null;
  /** Why the photo could not be restored, when it failed. */
  error: string | null;
  originalUrl: string | null;
  restoredUrl: string | null;
  originalThumbnailUrl: string | null;
  restoredThumbnailUrl: string | null;
  /** When the original (with its preview) was deleted; null while it is kept. */
  originalDeletedAt: Date | null;
  /** When the restored photo was deleted; null while it is kept (or there is none). */
  restoredDeletedAt: Date | null;
}

/** When the order's files go, or went, and whether the customer may delete them now. */
export interface CustomerOrderPrivacy {
  /** Days files are kept after the order finishes, to explain the rule before it has. */
  originalsRetentionDays: number;
  restoredRetentionDays: number;
  /** When the originals are deleted; null until the order has finished (no date is running yet). */
  originalsDeleteAt: Date | null;
  /** When the restored photos are deleted; null until the order has finished. */
  restoredDeleteAt: Date | null;
  /** When the last file of the order was deleted; null while any is kept. */
  deletedAt: Date | null;
  /** Who deleted them: the customer, the retention period, or our support at the customer's request. */
  deletedBy: 'customer' | 'retention' | 'support' | null;
  /** The customer may delete every photo now (files are kept and nothing is working on them). */
  canDelete: boolean;
}

export interface CustomerTimelineEntry {
  id: string;
  at: Date;
  type: string;
  title: string;
}

export interface CustomerOrder {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  createdAt: Date;
  paidAt: Date | null;
  completedAt: Date | null;
  currency: string;
  totalAmount: number;
  amountPaid: number | null;
  amountRefunded: number;
  /** Photos by stage; `deleted` ones have no file left (they were restored or had failed before). */
  stats: { pending: number; processing: number; done: number; failed: number; deleted: number };
  /** Settled photos ÷ all photos, 0–100. */
  progressPercent: number;
  images: CustomerOrderImage[];
  timeline: CustomerTimelineEntry[];
  /** Changes whenever anything above (but the URLs) changes. */
  version: string;
  /** Share and download need restored photos. */
  canShare: boolean;
  canDownload: boolean;
  /** When the presigned URLs stop working. */
  urlsExpireAt: Date;
  privacy: CustomerOrderPrivacy;
}

export interface CustomerOrderDeps {
  storage: ObjectStore;
  urlExpirySeconds: number;
  retention: RetentionPolicy;
}

const COMPLETED: readonly OrderStatus[] = ['completed', 'completed_with_errors'];

/** Timeline entries a customer sees, in their words; everything else stays in the admin's timeline. */
function describeEvent(type: string, data: Record<string, unknown>): string | undefined {
  const filename = typeof data.filename === 'string' ? data.filename : 'A photo';
  switch (type) {
    case 'order.created':
      return 'Order placed';
    case 'payment.succeeded':
      return 'Payment received';
    case 'payment.failed':
      return 'The payment did not go through';
    case 'checkout.expired':
      return 'The checkout expired before payment';
    case 'restoration.started':
      return 'Restoration started';
    case 'image.restored':
      return `${filename} is restored`;
    case 'image.failed':
      return `${filename} could not be restored`;
    case 'order.completed':
      return 'All photos are done';
    case 'email.sent':
      return data.kind === 'restoration_complete'
        ? 'We emailed you your restored photos'
        : data.kind === 'order_confirmation'
          ? 'We emailed you the order confirmation'
          : undefined;
    case 'refund.succeeded':
    case 'order.refunded':
      return 'Refund issued';
    case 'photos.deleted':
      return 'You deleted your photos';
    case 'photos.purged':
      return data.files === 'originals'
        ? 'Your original photos were deleted after the retention period'
        : data.files === 'restored'
          ? 'Your restored photos were deleted after the retention period'
          : 'Your photos were deleted after the retention period';
    case 'customer.erased':
      return 'Your personal data was erased at your request';
    default:
      return undefined;
  }
}

export async function getCustomerOrder(
  db: Kysely<Database>,
  deps: CustomerOrderDeps,
  order: Order,
): Promise<CustomerOrder> {
  const [images, events] = await Promise.all([
    db
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('order_events')
      .select(['id', 'type', 'data', 'at', 'to_status'])
      .where('order_id', '=', order.id)
      .orderBy('id')
      .execute(),
  ]);
  const presign = (key: string | null, downloadName?: string) =>
    key
      ? deps.storage.presignGet(key, {
          expiresInSeconds: deps.urlExpirySeconds,
          ...(downloadName ? { downloadName } : {}),
        })
      : Promise.resolve(null);

  const customerImages = await Promise.all(
    images.map(async (image): Promise<CustomerOrderImage> => {
      // A half stamped as deleted is never shown, even while its objects are still being removed.
      const original = image.status !== 'purged' && image.original_purged_at === null;
      const restored = image.status !== 'purged' && image.restored_purged_at === null;
      return {
        id: image.id,
        position: image.position,
        filename: image.original_filename,
        status: image.status,
        width: image.width,
        height: image.height,
        restoredWidth: image.restored_width,
        restoredHeight: image.restored_height,
        error: image.status === 'failed' ? image.error : null,
        originalUrl: original ? await presign(image.original_key) : null,
        restoredUrl: restored ? await presign(image.restored_key) : null,
        originalThumbnailUrl: original ? await presign(image.thumbnail_key) : null,
        restoredThumbnailUrl: restored ? await presign(image.restored_thumbnail_key) : null,
        originalDeletedAt: image.original_purged_at ?? image.purged_at,
        restoredDeletedAt:
          image.restored_purged_at ?? (image.restored_key === null ? null : image.purged_at),
      };
    }),
  );

  const stats = { pending: 0, processing: 0, done: 0, failed: 0, deleted: 0 };
  for (const image of images) {
    if (image.status === 'purged') stats.deleted += 1;
    else if (image.status === 'restored') stats.done += 1;
    else if (image.status === 'failed') stats.failed += 1;
    else if (image.status === 'processing') stats.processing += 1;
    else if (image.status === 'pending') stats.pending += 1;
  }
  const settled = stats.done + stats.failed + stats.deleted;
  const timeline: CustomerTimelineEntry[] = [];
  for (const event of events) {
    const title = describeEvent(event.type, event.data);
    if (title) timeline.push({ id: event.id, at: event.at, type: event.type, title });
  }
  const lastEventId = events.at(-1)?.id ?? '0';
  const shape = images.map(
    (image) =>
      `${image.id}:${image.status}:${image.restored_key ?? ''}:${image.original_purged_at ? 'o' : ''}${image.restored_purged_at ? 'r' : ''}`,
  );
  const version = `${lastEventId}.${createHash('sha256')
    .update(`${order.status}|${shape.join(',')}`)
    .digest('hex')
    .slice(0, 12)}`;
  const restored =
    stats.done > 0 &&
    images.some((image) => image.restored_key && image.restored_purged_at === null);

  return {
    id: order.id,
    orderNumber: order.order_number,
    status: order.status,
    createdAt: order.created_at,
    paidAt: order.paid_at,
    completedAt: order.completed_at,
    currency: order.currency,
    totalAmount: order.total_amount,
    amountPaid: order.amount_paid,
    amountRefunded: order.amount_refunded,
    stats,
    progressPercent: images.length === 0 ? 0 : Math.round((settled / images.length) * 100),
    images: customerImages,
    timeline,
    version,
    canShare: COMPLETED.includes(order.status) && restored,
    canDownload:
      restored ||
      images.some(
        (image) =>
          image.original_key && image.status !== 'purged' && image.original_purged_at === null,
      ),
    urlsExpireAt: new Date(Date.now() + deps.urlExpirySeconds * 1000),
    privacy: orderPrivacy(order, images, events, deps.retention),
  };
}

function orderPrivacy(
  order: Order,
  images: ReadonlyArray<Pick<OrderImage, 'status' | 'purged_at'>>,
  events: ReadonlyArray<{ type: string; at: Date; to_status: OrderStatus | null }>,
  policy: RetentionPolicy,
): CustomerOrderPrivacy {
  const statusSince = events.filter((event) => event.to_status === order.status).at(-1)?.at ?? null;
  const start = retentionStartOf(order, statusSince);
  const dates = start ? deletionDatesFrom(start, policy) : undefined;
  const everythingDeleted = images.length > 0 && images.every((image) => image.status === 'purged');
  const deletedAt = everythingDeleted
    ? images.reduce<Date | null>(
        (latest, image) =>
          image.purged_at && (!latest || image.purged_at > latest) ? image.purged_at : latest,
        null,
      )
    : null;
  const lastDeletion = events.filter((event) => DELETED_BY[event.type] !== undefined).at(-1)?.type;
  return {
    originalsRetentionDays: policy.originalsDays,
    restoredRetentionDays: policy.restoredDays,
    originalsDeleteAt: dates?.originals ?? null,
    restoredDeleteAt: dates?.restored ?? null,
    deletedAt,
    deletedBy: deletedAt && lastDeletion ? (DELETED_BY[lastDeletion] ?? null) : null,
    canDelete:
      images.some((image) => image.status !== 'purged') &&
      photosInUse(
        order,
        images.map((image) => image.status),
      ) === undefined,
  };
}

const DELETED_BY: Record<string, CustomerOrderPrivacy['deletedBy']> = {
  'photos.deleted': 'customer',
  'photos.purged': 'retention',
  'customer.erased': 'support',
};
