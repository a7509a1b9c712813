/**
 * One uploaded photo, from the request stream to a temporary S3 object and an `uploads` row. The bytes are
 * spooled to local disk as they arrive (hashed and counted on the way, memory stays flat), checked by magic
 * bytes, size, pixel count and a full decode, and only then written to S3. A refused file leaves nothing
 * behind: no object, no row, no spool file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { finished, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import type { Database, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import type { PaymentProvider } from '../payments/payment-provider';
import { tempUploadKeyFor } from '../storage/keys';
import type { ObjectStore } from '../storage/object-store';
import { cancelStaleCheckout } from './basket-changed';
import { validateFileName } from './file-name';
import {
  ACCEPTED_IMAGE_TYPES,
  describeBytes,
  describePixels,
  type UploadLimits,
} from './upload-limits';
import { requireOpenUploadSession, toUploadInfo, type UploadInfo } from './upload-sessions';

export interface IngestDeps {
  storage: ObjectStore;
  limits: UploadLimits;
  /** A local folder for spooling uploads while they are checked. */
  spoolDirectory: string;
  payments?: PaymentProvider;
}

export interface IngestInput {
  uploadSessionId: string;
  filename: string | undefined;
  stream: Readable;
}

const SNIFF_BYTES = 4100;

/**
 * Counts, hashes and keeps the first bytes of a stream as it passes through. Past `maxBytes` it lets nothing
 * more through but keeps reading, so the source is drained to its end rather than destroyed: busboy only
 * finishes a request once every file stream in it has ended.
 */
function meter(maxBytes: number) {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback();
        return;
      }
      hash.update(chunk);
      if (headBytes < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
        headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
      }
      callback(null, chunk);
    },
  });
  return {
    transform,
    tooLarge: () => bytes > maxBytes,
    result: () => ({ bytes, sha256: hash.digest('hex'), head: Buffer.concat(head) }),
  };
}

function tooLarge(limits: UploadLimits): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The file is larger than the ${describeBytes(limits.maxFileBytes)} limit. Upload a smaller photo (or a JPEG export of it).`,
    { limitBytes: limits.maxFileBytes },
  );
}

function acceptedList(): string {
  return Object.values(ACCEPTED_IMAGE_TYPES).join(', ');
}

async function assertRoomForOneMore(
  db: Kysely<Database>,
  uploadSessionId: string,
  limits: UploadLimits,
) {
  const row = await db
    .selectFrom('uploads')
    .select(db.fn.countAll<string>().as('count'))
    .where('upload_session_id', '=', uploadSessionId)
    .executeTakeFirstOrThrow();
  if (Number(row.count) >= limits.maxFiles) {
    throw new AppError(
      'CONFLICT',
      `This upload session already has ${limits.maxFiles} photos, the most one order can hold. Remove one first, or place a second order.`,
      { limitFiles: limits.maxFiles },
    );
  }
}

/** Reads the header (dimensions, the bomb guard), then decodes the whole image to find damage. */
async function inspectImage(file: string, limits: UploadLimits) {
  let metadata: Metadata;
  try {
    metadata = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      'The image could not be read: the file is damaged or not an image.',
    );
  }
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) {
    throw new AppError(
      'INVALID_INPUT',
      'The image has no readable dimensions: the file is damaged.',
    );
  }
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The image is ${width}×${height} (${describePixels(pixels)}); the limit is ${describePixels(limits.maxPixels)}. Scan or export it at a lower resolution.`,
      { width, height, limitPixels: limits.maxPixels },
    );
  }
  try {
    // A small decode of every row: truncated or corrupt data fails here, with bounded memory.
    await sharp(file, {
      limitInputPixels: limits.maxPixels,
      failOn: 'truncated',
      sequentialRead: true,
    })
      .resize(256, 256, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      'The image is damaged or incomplete (it may have been cut off while copying). Try the original file again.',
    );
  }
  return { width, height };
}

export async function ingestUpload(
  db: Kysely<Database>,
  deps: IngestDeps,
  input: IngestInput,
): Promise<UploadInfo> {
  const spoolFile = path.join(deps.spoolDirectory, `restoreclick-upload-${randomUUID()}`);
  let storedKey: string | undefined;
  try {
    const filename = validateFileName(input.filename);
    await requireOpenUploadSession(db, input.uploadSessionId);
    await assertRoomForOneMore(db, input.uploadSessionId, deps.limits);

    const measured = meter(deps.limits.maxFileBytes);
    // `pipe`, not `pipeline`, from the request: a failure while spooling must leave the source readable so the
    // catch below can drain it (a destroyed busboy file stream stalls the whole request).
    input.stream.pipe(measured.transform);
    const stopWatchingSource = finished(input.stream, (error) => {
      if (error) measured.transform.destroy(error); // the client went away mid-file
    });
    try {
      await pipeline(measured.transform, createWriteStream(spoolFile));
    } finally {
      stopWatchingSource();
    }
    if (measured.tooLarge()) throw tooLarge(deps.limits);
    const { bytes, sha256, head } = measured.result();
    if (bytes === 0)
      throw new AppError('INVALID_INPUT', 'The file is empty. Choose the photo again.');

    const type = await fileTypeFromBuffer(head);
    const accepted = type ? ACCEPTED_IMAGE_TYPES[type.mime] : undefined;
    if (!type || !accepted) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `This file is not a photo we can read${type ? ` (it is ${type.mime})` : ''}, whatever its name says. Accepted: ${acceptedList()}.`,
        { detected: type?.mime ?? null },
      );
    }
    const { width, height } = await inspectImage(spoolFile, deps.limits);

    const id = randomUUID();
    const key = tempUploadKeyFor(input.uploadSessionId, id, type.mime);
    await deps.storage.put(key, createReadStream(spoolFile), {
      contentType: type.mime,
      contentLength: bytes,
    });
    storedKey = key;

    const upload = await db.transaction().execute(async (trx) => {
      // Lock the session row so concurrent uploads count one at a time against the limit.
      await trx
        .selectFrom('upload_sessions')
        .select('id')
        .where('id', '=', input.uploadSessionId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      await assertRoomForOneMore(trx, input.uploadSessionId, deps.limits);
      return trx
        .insertInto('uploads')
        .values({
          id,
          upload_session_id: input.uploadSessionId,
          temp_key: key,
          original_filename: filename,
          mime_type: type.mime,
          bytes,
          width,
          height,
          sha256,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    storedKey = undefined; // kept: it belongs to a row now
    await cancelStaleCheckout(db, deps.payments, input.uploadSessionId);
    return toUploadInfo(upload);
  } catch (error) {
    if (!input.stream.destroyed) input.stream.resume(); // drain what the client still sends
    if (storedKey) await deps.storage.delete(storedKey).catch(() => {});
    throw error;
  } finally {
    await rm(spoolFile, { force: true });
  }
}
