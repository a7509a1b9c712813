/**
 * ZIP download links: a random token (stored only as its hash), a kind (all, originals, restored), an optional
 * selection of photos, an expiry and a counter. Resolving a link gives the files to zip, or a clear reason why
 * not (unknown → NOT_FOUND, expired or revoked or nothing left → GONE).
 */
import { sql } from 'kysely';
import type { Database, DownloadKind, DownloadLink, Kysely, Order } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { restoredFilename } from '../storage/keys';
import { generateToken, hashToken, looksLikeToken } from '../security/tokens';

export interface DownloadEntry {
  key: string;
  /** Path inside the ZIP: `restored/grandma-restored.png`, `originals/grandma.jpg`. */
  name: string;
  /** The file's type: its metadata is taken out on the way (see `deliveryStreamOf`). */
  contentType: string;
}

export interface CreatedDownloadLink {
  token: string;
  kind: DownloadKind;
  expiresAt: Date;
  fileName: string;
}

export function downloadFileName(orderNumber: string, kind: DownloadKind): string {
  return `RestoreClick-${orderNumber}-${kind}.zip`;
}

export async function createDownloadLink(
  db: Kysely<Database>,
  input: { order: Order; kind: DownloadKind; imageIds?: string[]; ttlDays: number },
): Promise<CreatedDownloadLink> {
  const { order } = input;
  const entries = await entriesFor(db, order.id, input.kind, input.imageIds);
  if (input.imageIds) {
    const known = await db
      .selectFrom('order_images')
      .select('id')
      .where('order_id', '=', order.id)
      .where(
        'id',
        'in',
        input.imageIds.length ? input.imageIds : ['00000000-0000-0000-0000-000000000000'],
      )
      .execute();
    if (known.length !== new Set(input.imageIds).size) {
      throw new AppError('NOT_FOUND', 'Some of the chosen photos are not part of this order.');
    }
  }
  if (entries.length === 0) {
    const deleted = await db
      .selectFrom('order_images')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('order_id', '=', order.id)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'purged'),
          eb(
            input.kind === 'originals' ? 'original_purged_at' : 'restored_purged_at',
            'is not',
            null,
          ),
        ]),
      )
      .executeTakeFirstOrThrow();
    if (Number(deleted.count) > 0) {
      throw new AppError(
        'GONE',
        'These photos have been deleted, so there is nothing left to download.',
        { reason: 'photos_deleted' },
      );
    }
    throw new AppError(
      'CONFLICT',
      input.kind === 'restored'
        ? 'No restored photo is ready to download yet.'
        : 'None of the chosen photos has a file to download.',
    );
  }
  const token = generateToken();
  const expiresAt = new Date(Date.now() + input.ttlDays * 24 * 3_600_000);
  await db
    .insertInto('download_links')
    .values({
      order_id: order.id,
      token_hash: hashToken(token),
      kind: input.kind,
      image_ids: input.imageIds ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return {
    token,
    kind: input.kind,
    expiresAt,
    fileName: downloadFileName(order.order_number, input.kind),
  };
}

/** Names unique inside one folder of the ZIP: a second `scan.jpg` becomes `scan (2).jpg`. */
function uniqueName(taken: Set<string>, name: string): string {
  if (!taken.has(name)) {
    taken.add(name);
    return name;
  }
  const dot = name.lastIndexOf('.');
  const [base, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let index = 2; ; index += 1) {
    const candidate = `${base} (${index})${extension}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

async function entriesFor(
  db: Kysely<Database>,
  orderId: string,
  kind: DownloadKind,
  imageIds: string[] | null | undefined,
): Promise<DownloadEntry[]> {
  let query = db
    .selectFrom('order_images')
    .select([
      'id',
      'original_filename',
      'original_key',
      'restored_key',
      'mime_type',
      'restored_mime_type',
      'status',
      'original_purged_at',
      'restored_purged_at',
    ])
    .where('order_id', '=', orderId)
    .where('status', '!=', 'purged')
    .orderBy('position');
  if (imageIds) {
    if (imageIds.length === 0) return [];
    query = query.where('id', 'in', imageIds);
  }
  const images = await query.execute();
  const entries: DownloadEntry[] = [];
  const originals = new Set<string>();
  const restored = new Set<string>();
  for (const image of images) {
    // A half stamped as deleted is never served, even while its objects are still being removed.
    if (kind !== 'restored' && image.original_key && !image.original_purged_at) {
      entries.push({
        key: image.original_key,
        name: `originals/${uniqueName(originals, image.original_filename)}`,
        contentType: image.mime_type,
      });
    }
    if (kind !== 'originals' && image.restored_key && !image.restored_purged_at) {
      entries.push({
        key: image.restored_key,
        name: `restored/${uniqueName(
          restored,
          restoredFilename(image.original_filename, image.restored_mime_type ?? 'image/png'),
        )}`,
        contentType: image.restored_mime_type ?? 'image/png',
      });
    }
  }
  return entries;
}

export interface ResolvedDownload {
  link: DownloadLink;
  order: Order;
  fileName: string;
  entries: DownloadEntry[];
}

/** The files of a live link, counting the download; NOT_FOUND or GONE with a reason otherwise. */
export async function openDownload(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<ResolvedDownload> {
  const notFound = () =>
    new AppError(
      'NOT_FOUND',
      'This download link does not exist. Check that you copied the whole link.',
    );
  if (!looksLikeToken(token)) throw notFound();
  const link = await db
    .selectFrom('download_links')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!link) throw notFound();
  const entries = await entriesFor(db, link.order_id, link.kind, link.image_ids);
  if (entries.length === 0) throw await photosDeleted(db, link);
  if (link.revoked_at) {
    throw new AppError(
      'GONE',
      'This download link was withdrawn. Ask for a new one on your order page.',
      { reason: 'revoked' },
    );
  }
  if (link.expires_at <= now) {
    throw new AppError(
      'GONE',
      'This download link has expired. Ask for a new one on your order page.',
      { reason: 'expired' },
    );
  }
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', link.order_id)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('download_links')
    .set((eb) => ({ download_count: eb('download_count', '+', 1), last_downloaded_at: now }))
    .where('id', '=', link.id)
    .execute();
  return { link, order, fileName: downloadFileName(order.order_number, link.kind), entries };
}

const LONG_DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** GONE for a link whose photos have no file left: when they went, and why that happens. */
async function photosDeleted(db: Kysely<Database>, link: DownloadLink): Promise<AppError> {
  let query = db
    .selectFrom('order_images')
    .select(
      sql<Date | null>`max(greatest(purged_at, original_purged_at, restored_purged_at))`.as(
        'deleted_at',
      ),
    )
    .where('order_id', '=', link.order_id);
  if (link.image_ids?.length) query = query.where('id', 'in', link.image_ids);
  const { deleted_at: deletedAt } = await query.executeTakeFirstOrThrow();
  return new AppError(
    'GONE',
    `The photos of this link ${deletedAt ? `were deleted on ${LONG_DATE.format(deletedAt)}` : 'have been deleted'}. ` +
      'RestoreClick keeps photos only for a limited time after an order is finished, and deletes them sooner when their owner asks; they cannot be downloaded any more.',
    { reason: 'photos_deleted', deletedAt: deletedAt ? deletedAt.toISOString() : null },
  );
}
