/**
 * Photo metadata never leaves with the photos: a restored photo made from a phone JPEG with GPS position, camera
 * and a sideways orientation carries none of it (and is upright) — whether the local restorer or a remote model
 * that copies the input's EXIF made it — and neither do the ZIP's entries nor the email's attachments. The
 * stored original stays exactly as uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ReplicateRestorationProvider, SendGridEmailTransport } from '@restoreclick/core';
import {
  type LocalReplicate,
  type LocalSendGrid,
  startLocalReplicate,
  startLocalSendGrid,
} from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';
import { EXIF_TAGS, exifTagsOf, phonePhotoWithGps } from '../test/images';
import { callProcedure, readZipEntries, readZipFile } from '../test/wire';

async function onlyImage(stack: FullStack, orderId: string) {
  return stack.testDb.db
    .selectFrom('order_images')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
}

describe('metadata of photos restored on the machine', () => {
  let stack: FullStack;
  let sendgrid: LocalSendGrid;
  let order: { orderId: string; accessToken: string };
  const uploaded = phonePhotoWithGps();

  beforeAll(async () => {
    sendgrid = await startLocalSendGrid();
    stack = await startFullStack({
      emailTransport: new SendGridEmailTransport({
        apiKey: sendgrid.apiKey,
        baseUrl: sendgrid.url,
        timeoutMs: 5_000,
        activityLagMs: 0,
      }),
    });
    order = await stack.checkoutAndPay({ photos: 1, photo: () => uploaded });
    await stack.waitForOrderStatus(order.orderId, 'completed', 60_000);
  });
  afterAll(async () => {
    await stack?.stop();
    await sendgrid?.stop();
  });

  it('keeps the original as uploaded, GPS and all, and the restored photo without any metadata', async () => {
    const image = await onlyImage(stack, order.orderId);
    const original = await stack.store.getBuffer(image.original_key ?? '');
    expect(original.equals(await uploaded)).toBe(true);
    expect(await exifTagsOf(original)).toEqual(expect.arrayContaining([EXIF_TAGS.gps]));

    const restored = await stack.store.getBuffer(image.restored_key ?? '');
    expect(await exifTagsOf(restored)).toEqual([]);
    const metadata = await sharp(restored).metadata();
    expect(metadata.orientation).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    // Upright: the phone held the print sideways (stored 96 × 72, shown 72 × 96).
    expect((metadata.height ?? 0) > (metadata.width ?? 0)).toBe(true);
  });

  it('attaches the restored photo to the email without metadata', async () => {
    const email = await waitFor(
      () =>
        sendgrid
          .messages()
          .find(
            (message) =>
              message.status === 202 &&
              (message.mail?.attachments.length ?? 0) > 0 &&
              message.mail?.subject?.includes('restored'),
          ),
      { timeout: 30_000, message: 'the completion email with its attachment' },
    );
    const [attachment] = email.mail?.attachments ?? [];
    expect(attachment?.filename).toMatch(/-restored\.(jpg|png)$/);
    expect(await exifTagsOf(attachment?.content ?? Buffer.alloc(0))).toEqual([]);
  });

  it('zips the original without GPS or camera (orientation kept, pixels untouched) and the restored photo without metadata', async () => {
    const link = await callProcedure<{ url: string }>(
      stack.apiUrl,
      'downloads.create',
      { token: order.accessToken, kind: 'all' },
      'mutation',
    );
    if (!link.ok) throw new Error(link.error.message);
    const response = await fetch(link.data.url.replace(/^https?:\/\/[^/]+/, stack.apiUrl));
    expect(response.status).toBe(200);
    const zip = Buffer.from(await response.arrayBuffer());
    const names = readZipEntries(zip).map((entry) => entry.name);
    expect(names).toEqual(['originals/grandma-1.jpg', expect.stringMatching(/^restored\//)]);

    const original = readZipFile(zip, 'originals/grandma-1.jpg');
    expect(await exifTagsOf(original)).toEqual([EXIF_TAGS.orientation]);
    expect((await sharp(original).metadata()).orientation).toBe(6);
    expect(original.includes(Buffer.from('iPhone'))).toBe(false);
    const rawPixels = (image: Buffer) => sharp(image, { autoOrient: false }).raw().toBuffer();
    expect((await rawPixels(original)).equals(await rawPixels(await uploaded))).toBe(true);

    const restored = readZipFile(zip, names[1] ?? '');
    expect(await exifTagsOf(restored)).toEqual([]);
  });
});

describe('metadata of photos restored by a model that copies the EXIF', () => {
  let stack: FullStack;
  let replicate: LocalReplicate;

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    stack = await startFullStack({
      restoration: {
        provider: new ReplicateRestorationProvider({ client: replicate.client() }),
        close: async () => {},
      },
      workerEnv: { RESTORATION_POLL_DELAY_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await replicate?.stop();
  });

  it('keeps the downloaded output without GPS or camera, turned upright', async () => {
    replicate.queueOutcome({ kind: 'succeed', keepMetadata: true });
    const orderId = await stack.payForOrder({ photos: 1, photo: () => phonePhotoWithGps(1) });
    await stack.waitForOrderStatus(orderId, 'completed', 60_000);

    // What the model returned carried them all.
    const [prediction] = replicate.predictions();
    const output = await fetch(String(prediction?.output));
    const returned = Buffer.from(await output.arrayBuffer());
    expect(await exifTagsOf(returned)).toEqual(
      expect.arrayContaining([EXIF_TAGS.gps, EXIF_TAGS.make, EXIF_TAGS.orientation]),
    );

    const image = await onlyImage(stack, orderId);
    const kept = await stack.store.getBuffer(image.restored_key ?? '');
    expect(await exifTagsOf(kept)).toEqual([]);
    const metadata = await sharp(kept).metadata();
    expect(metadata.orientation).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([144, 192]);
    expect([image.restored_width, image.restored_height, image.restored_bytes]).toEqual([
      144,
      192,
      kept.length,
    ]);
    const attempt = await stack.testDb.db
      .selectFrom('restoration_jobs')
      .select('details')
      .where('order_image_id', '=', image.id)
      .executeTakeFirstOrThrow();
    expect(attempt.details).toMatchObject({ metadataRemoved: true });
  });
});
