/**
 * `POST /uploads/:uploadSessionId/files`: multipart upload of one or more photos, streamed part by part
 * (busboy) into the ingestion service. Each file is accepted or refused on its own; accepted ones are kept
 * even when a later one in the same request is refused.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { Hono } from 'hono';
import { AppError, ingestUpload, isAppError, type UploadInfo } from '@restoreclick/core';
import type { AppEnv } from '../app';
import type { ApiDependencies } from '../dependencies';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Rejection {
  filename: string | null;
  code: string;
  message: string;
  status: number;
}

export function uploadRoutes(deps: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { limits } = deps.uploads;

  routes.post('/:uploadSessionId/files', async (c) => {
    const uploadSessionId = c.req.param('uploadSessionId');
    if (!UUID.test(uploadSessionId)) {
      throw new AppError('NOT_FOUND', 'This upload session does not exist. Start a new upload.');
    }
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.startsWith('multipart/form-data') || !c.req.raw.body) {
      throw new AppError(
        'INVALID_INPUT',
        'Send the photos as multipart/form-data, one "file" field per photo.',
      );
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > limits.maxFiles * limits.maxFileBytes + 1024 * 1024) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        'The request is larger than a whole session of photos may be.',
      );
    }

    const uploaded: UploadInfo[] = [];
    const rejected: Rejection[] = [];
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: { 'content-type': contentType },
          // Keep the name as sent, so a name that tries to be a path is refused rather than silently trimmed.
          preservePath: true,
          defParamCharset: 'utf8',
          limits: {
            // One byte over the limit lets the ingestion see, and name, the oversize file.
            fileSize: limits.maxFileBytes + 1,
            files: limits.maxFiles,
            fields: 20,
            fieldSize: 1024,
            parts: limits.maxFiles + 20,
          },
        });
      } catch {
        reject(new AppError('INVALID_INPUT', 'The multipart body is malformed.'));
        return;
      }
      // Files are handled one after another, in the order they arrive. A failure that is not the file's fault
      // (storage or database down) is kept, the rest of the body is drained, and the request fails with it at
      // the end: the chain itself never rejects, since a rejection nobody awaits yet would end the process.
      let chain = Promise.resolve();
      let failure: { error: unknown } | undefined;
      parser.on('file', (_field, stream, info) => {
        chain = chain.then(async () => {
          if (failure) {
            stream.resume();
            return;
          }
          try {
            uploaded.push(
              await ingestUpload(deps.db, deps.uploads, {
                uploadSessionId,
                filename: info.filename,
                stream,
              }),
            );
          } catch (error) {
            stream.resume();
            if (!isAppError(error)) {
              failure = { error };
              return;
            }
            rejected.push({
              filename: info.filename ?? null,
              code: error.code,
              message: error.message,
              status: error.httpStatus,
            });
          }
        });
      });
      parser.on('error', () =>
        reject(new AppError('INVALID_INPUT', 'The multipart body is malformed.')),
      );
      parser.on('close', () => {
        void chain.then(() => (failure ? reject(failure.error) : resolve()));
      });
      const body = Readable.fromWeb(c.req.raw.body as WebReadableStream<Uint8Array>);
      // A client that goes away mid-upload ends this request, never the process.
      body.on('error', () => {
        parser.destroy();
        reject(new AppError('INVALID_INPUT', 'The upload was interrupted before it finished.'));
      });
      body.pipe(parser);
    });

    if (uploaded.length === 0 && rejected.length === 0) {
      throw new AppError('INVALID_INPUT', 'No file was sent. Add at least one "file" field.');
    }
    const first = rejected[0];
    if (!first) return c.json({ uploaded, rejected: [] }, 201);
    return c.json(
      {
        error: { code: first.code, message: first.message, filename: first.filename },
        uploaded,
        rejected: rejected.map(({ status: _status, ...rest }) => rest),
      },
      (uploaded.length > 0 ? 207 : first.status) as 400,
    );
  });

  return routes;
}
