/**
 * `GET /download/:token`: a ZIP of the link's photos built on the fly from S3, one file after another, in store
 * mode (photos are already compressed), so memory stays flat whatever the size and nothing touches the disk.
 * A client that goes away stops the S3 reads. Each file leaves without its metadata (GPS, camera: see
 * `deliveryStreamOf`). Unknown links get a friendly 404 page; expired or withdrawn ones, and links whose photos
 * were deleted, a 410 that says which.
 */
import { PassThrough, Readable } from 'node:stream';
import archiver from 'archiver';
import { Hono } from 'hono';
import { deliveryStreamOf, isAppError, openDownload } from '@restoreclick/core';
import type { AppEnv } from '../app';
import type { ApiDependencies } from '../dependencies';

function page(status: 404 | 410, title: string, message: string): Response {
  const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · RestoreClick</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.5rem}</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(message)}</p></main></body></html>
`;
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

const GONE_TITLE = 'This download link no longer works';
const GONE_TITLES: Record<string, string> = {
  photos_deleted: 'These photos have been deleted',
  expired: 'This download link has expired',
  revoked: 'This download link was withdrawn',
};

export function downloadRoutes(deps: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/:token', async (c) => {
    let download;
    try {
      download = await openDownload(deps.db, c.req.param('token'));
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') {
        return page(404, 'This download link does not exist', error.message);
      }
      if (isAppError(error) && error.code === 'GONE') {
        return page(410, GONE_TITLES[String(error.details?.reason)] ?? GONE_TITLE, error.message);
      }
      throw error;
    }
    const logger = c.get('logger');
    const archive = archiver('zip', { store: true });
    const output = new PassThrough();
    let current: Readable | undefined;
    let aborted = false;
    const abort = () => {
      if (aborted) return;
      aborted = true;
      current?.destroy();
      archive.abort();
      output.destroy();
    };
    c.req.raw.signal.addEventListener('abort', abort, { once: true });
    archive.on('error', (error) => {
      logger.error({ err: error, linkId: download.link.id }, 'zip stream failed');
      abort();
    });
    archive.pipe(output);

    void (async () => {
      try {
        for (const entry of download.entries) {
          if (aborted) return;
          current = await deliveryStreamOf(
            await deps.objectStore.getStream(entry.key),
            entry.contentType,
          );
          if (aborted) {
            current.destroy();
            return;
          }
          const finished = new Promise<void>((resolve, reject) => {
            archive.once('entry', () => resolve());
            current?.once('error', reject);
          });
          archive.append(current, { name: entry.name });
          await finished;
        }
        if (!aborted) await archive.finalize();
      } catch (error) {
        logger.error({ err: error, linkId: download.link.id }, 'could not read a file for a zip');
        abort();
      }
    })();

    // Pulled by the response: the archive (and the S3 read under it) waits whenever the client is slower.
    const body = Readable.toWeb(output) as ReadableStream<Uint8Array>;
    output.once('close', () => {
      if (!output.readableEnded) abort(); // the response was cancelled mid-way
    });
    const fileName = download.fileName;
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        'cache-control': 'no-store',
      },
    });
  });

  return routes;
}
