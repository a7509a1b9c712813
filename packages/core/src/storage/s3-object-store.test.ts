/**
 * Presigned GET URLs: ours (a learned request template signed by one presigner) must be byte for byte what the
 * AWS SDK's own `getSignedUrl` makes, for path-style endpoints (MinIO, R2, the embedded S3) and AWS's
 * virtual-hosted style, whatever characters the key holds. Signing is offline, so no server is needed.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3ObjectStore } from './s3-object-store';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

const clients = {
  'a path-style endpoint': () =>
    new S3Client({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
    }),
  "AWS's virtual-hosted style": () => new S3Client({ region: 'eu-west-1', credentials }),
  'an R2-like https endpoint': () =>
    new S3Client({
      endpoint: 'https://account.r2.cloudflarestorage.com',
      region: 'auto',
      forcePathStyle: true,
      credentials,
    }),
};

const keys = [
  'restored/3f1c/photo-0.png',
  'originals/3f1c/Grandma & Grandpa (1952) #2.jpg',
  "uploads/tmp/it's 100%+ *done*~.png",
  'originals/3f1c/Ωμέγα 日本 😀.jpeg',
];

describe('S3ObjectStore.presignGet', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-23T12:34:56Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const [style, makeClient] of Object.entries(clients)) {
    it(`signs exactly as getSignedUrl does with ${style}`, async () => {
      const client = makeClient();
      const store = new S3ObjectStore(client, 'restoreclick-photos');
      for (const key of keys) {
        const expected = await getSignedUrl(
          client,
          new GetObjectCommand({ Bucket: 'restoreclick-photos', Key: key }),
          { expiresIn: 900 },
        );
        await expect(store.presignGet(key, { expiresInSeconds: 900 })).resolves.toBe(expected);
      }
    });
  }

  it('signs the download name into the URL as getSignedUrl does', async () => {
    const client = clients['a path-style endpoint']();
    const store = new S3ObjectStore(client, 'restoreclick-photos');
    const downloadName = 'Grandma "restored" Ωμέγα.png';
    const expected = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: 'restoreclick-photos',
        Key: keys[0],
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}`,
      }),
      { expiresIn: 300 },
    );

    await expect(
      store.presignGet(keys[0] ?? '', { expiresInSeconds: 300, downloadName }),
    ).resolves.toBe(expected);
  });
});
