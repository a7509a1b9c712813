/**
 * `uploadPhotos`: sends photos to an upload session in one multipart request (`POST /uploads/:id/files`) and
 * returns what the API kept and what it refused, photo by photo.
 */
import { apiBaseUrl, type ClientOptions, optionsOfClient, type RestoreClickClient } from './client';
import { UploadError } from './errors';
import type { AppErrorCode, UploadedPhoto } from './router-types';

/** A photo the API refused, with a message a person can act on (too large, not a photo, session full, …). */
export interface RejectedPhoto {
  filename: string | null;
  code: AppErrorCode;
  message: string;
}

export interface UploadPhotosResult {
  /** The photos stored, in the order they were sent. */
  uploaded: UploadedPhoto[];
  rejected: RejectedPhoto[];
}

export interface UploadPhotosOptions {
  /**
   * Bytes sent per photo. Browsers report as the upload goes (through XMLHttpRequest); where there is no
   * XMLHttpRequest (Node), or when the client has its own `fetch`, each photo is reported once, when sent.
   */
  onProgress?: (fileIndex: number, loadedBytes: number, totalBytes: number) => void;
}

interface Answer {
  status: number;
  text: string;
  requestId: string | null;
}

/**
 * Uploads `files` (File or Blob objects) to `uploadSessionId`. Photos the API refuses come back in `rejected`;
 * a request refused as a whole (unknown or expired session, no answer) throws `UploadError`.
 */
export async function uploadPhotos(
  clientOrOptions: RestoreClickClient | ClientOptions,
  uploadSessionId: string,
  files: readonly Blob[],
  options: UploadPhotosOptions = {},
): Promise<UploadPhotosResult> {
  const clientOptions = optionsOfClient(clientOrOptions) ?? asClientOptions(clientOrOptions);
  const url = `${apiBaseUrl(clientOptions.url)}/uploads/${encodeURIComponent(uploadSessionId)}/files`;
  const headers =
    typeof clientOptions.headers === 'function'
      ? await clientOptions.headers()
      : (clientOptions.headers ?? {});
  const form = new FormData();
  files.forEach((file, index) => form.append('file', file, fileNameOf(file, index)));
  const report = options.onProgress ? progressReporter(files, options.onProgress) : undefined;

  let answer: Answer;
  try {
    if (report && typeof XMLHttpRequest === 'function' && !clientOptions.fetch) {
      answer = await sendWithXhr(url, form, headers, report);
    } else {
      const response = await (clientOptions.fetch ?? globalThis.fetch)(url, {
        method: 'POST',
        body: form,
        headers,
      });
      answer = {
        status: response.status,
        text: await response.text(),
        requestId: response.headers.get('x-request-id'),
      };
    }
  } catch (cause) {
    throw new UploadError(
      `The photos could not be sent: ${cause instanceof Error ? cause.message : String(cause)}`,
      'NETWORK',
      0,
      null,
      { cause },
    );
  }
  const result = readAnswer(answer);
  report?.(1);
  return result;
}

function asClientOptions(value: RestoreClickClient | ClientOptions): ClientOptions {
  // A tRPC client answers every property with a procedure proxy (a function), never a string.
  if (typeof (value as { url?: unknown }).url === 'string') return value as ClientOptions;
  throw new TypeError(
    'uploadPhotos needs a client made by createClient, or client options with the API url: { url }.',
  );
}

function fileNameOf(file: Blob, index: number): string {
  const name = (file as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : `photo-${index + 1}`;
}

/** Turns the request's progress (0–1) into per-photo progress; the multipart framing is spread over the photos. */
function progressReporter(
  files: readonly Blob[],
  onProgress: NonNullable<UploadPhotosOptions['onProgress']>,
): (fraction: number) => void {
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let index = 0;
  let fileStart = 0;
  return (fraction) => {
    const position = fraction * totalBytes;
    while (index < files.length) {
      const file = files[index];
      if (!file) return;
      if (position < fileStart + file.size) {
        if (position > fileStart) onProgress(index, Math.floor(position - fileStart), file.size);
        return;
      }
      onProgress(index, file.size, file.size);
      fileStart += file.size;
      index += 1;
    }
  };
}

function sendWithXhr(
  url: string,
  form: FormData,
  headers: Record<string, string>,
  report: (fraction: number) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) report(event.loaded / event.total);
    };
    request.onload = () =>
      resolve({
        status: request.status,
        text: request.responseText,
        requestId: request.getResponseHeader('x-request-id'),
      });
    request.onerror = () => reject(new Error('the connection failed'));
    request.ontimeout = () => reject(new Error('the request timed out'));
    request.send(form);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** 201 and 207 carry `{ uploaded, rejected }`, and so does a 4xx where every photo was refused. */
function readAnswer(answer: Answer): UploadPhotosResult {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  if (isRecord(body) && Array.isArray(body.uploaded) && Array.isArray(body.rejected)) {
    return {
      uploaded: body.uploaded as UploadedPhoto[],
      rejected: body.rejected as RejectedPhoto[],
    };
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  throw new UploadError(
    typeof error.message === 'string'
      ? error.message
      : `The upload failed with HTTP status ${answer.status}.`,
    typeof error.code === 'string' ? (error.code as AppErrorCode) : 'INTERNAL',
    answer.status,
    typeof error.requestId === 'string' ? error.requestId : answer.requestId,
  );
}
