/** Small factories for tests: an upload session with photos already in temporary storage. */
import { createHash, randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { tempUploadKeyFor } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { TestBucket } from '@restoreclick/devkit/testing';

export async function seedUploadSession(
  db: Kysely<Database>,
  bucket: TestBucket,
  options: { photos?: number; expiresInHours?: number } = {},
): Promise<{ uploadSessionId: string; tempKeys: string[] }> {
  const session = await db
    .insertInto('upload_sessions')
    .values({ expires_at: new Date(Date.now() + (options.expiresInHours ?? 24) * 3_600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tempKeys: string[] = [];
  for (let index = 0; index < (options.photos ?? 2); index += 1) {
    const id = randomUUID();
    const key = tempUploadKeyFor(session.id, id, 'image/jpeg');
    const body = Buffer.from(`photo ${index} of ${session.id}`);
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }));
    await db
      .insertInto('uploads')
      .values({
        id,
        upload_session_id: session.id,
        temp_key: key,
        original_filename: `grandma-${index + 1}.jpg`,
        mime_type: 'image/jpeg',
        bytes: body.length,
        width: 640,
        height: 480,
        sha256: createHash('sha256').update(body).digest('hex'),
      })
      .execute();
    tempKeys.push(key);
  }
  return { uploadSessionId: session.id, tempKeys };
}
