/**
 * `uploadPhotos` on its own: the browser path (XMLHttpRequest, per-photo progress) against a fake request, and
 * how whole-request refusals and network failures become `UploadError`s. The real route is in the pack test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client';
import { isUploadError } from '../src/errors';
import { uploadPhotos } from '../src/upload-photos';

class FakeXmlHttpRequest {
  static requests: FakeXmlHttpRequest[] = [];
  upload: { onprogress: ((event: ProgressEventInit) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | undefined;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  getResponseHeader(name: string): string | null {
    return name === 'x-request-id' ? 'request-from-header' : null;
  }
  send(body: FormData): void {
    this.body = body;
    FakeXmlHttpRequest.requests.push(this);
  }
  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** The fake request `uploadPhotos` sent, once it has been sent. */
async function sentRequest(): Promise<FakeXmlHttpRequest> {
  await vi.waitFor(() => expect(FakeXmlHttpRequest.requests).toHaveLength(1));
  const request = FakeXmlHttpRequest.requests[0];
  if (!request) throw new Error('no request was sent');
  return request;
}

const uploaded = {
  id: 'f9a0c0de-0000-4000-8000-000000000001',
  filename: 'photo-1',
  mimeType: 'image/jpeg',
  bytes: 100,
  width: 64,
  height: 48,
  sha256: 'ab',
  createdAt: '2026-11-23T12:00:00.000Z',
};

describe('uploadPhotos', () => {
  afterEach(() => {
    FakeXmlHttpRequest.requests = [];
    vi.unstubAllGlobals();
  });

  it('reports progress photo by photo in a browser and returns what was kept and refused', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXmlHttpRequest);
    const client = createClient({
      url: 'https://api.example.com/',
      headers: async () => ({ 'x-shop': 'north' }),
    });
    const progress: number[][] = [];
    const files = [
      new Blob([new Uint8Array(100)], { type: 'image/jpeg' }),
      new File([new Uint8Array(300)], 'wedding.jpg', { type: 'image/jpeg' }),
    ];
    const result = uploadPhotos(client, 'session-1', files, {
      onProgress: (fileIndex, loaded, total) => progress.push([fileIndex, loaded, total]),
    });

    const request = await sentRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.example.com/uploads/session-1/files');
    expect(request.headers).toEqual({ 'x-shop': 'north' });
    const parts = request.body?.getAll('file') as File[];
    expect(parts.map((part) => part.name)).toEqual(['photo-1', 'wedding.jpg']);

    // 500 bytes on the wire for 400 bytes of photos: the framing is spread over the photos.
    request.progress(125, 500);
    request.progress(250, 500);
    const rejection = { filename: 'wedding.jpg', code: 'PAYLOAD_TOO_LARGE', message: 'Too big.' };
    request.respond(207, {
      error: rejection,
      uploaded: [uploaded],
      rejected: [rejection],
    });

    await expect(result).resolves.toEqual({ uploaded: [uploaded], rejected: [rejection] });
    expect(progress).toEqual([
      [0, 100, 100],
      [1, 100, 300],
      [1, 300, 300],
    ]);
  });

  it('throws an UploadError with the API’s code and request id when the request is refused as a whole', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXmlHttpRequest);
    // A client's own fetch is used even where XMLHttpRequest exists.
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      Response.json(
        {
          error: {
            code: 'NOT_FOUND',
            message: 'This upload session does not exist.',
            requestId: 'r-1',
          },
        },
        { status: 404 },
      ),
    );
    const error = await uploadPhotos(
      { url: 'https://api.example.com', fetch },
      'nope',
      [new Blob(['x'])],
      { onProgress: () => undefined },
    ).catch((caught: unknown) => caught);

    expect(FakeXmlHttpRequest.requests).toHaveLength(0);
    expect(isUploadError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      requestId: 'r-1',
      message: 'This upload session does not exist.',
    });
  });

  it('throws a NETWORK UploadError when no answer comes', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      throw new TypeError('fetch failed');
    });
    const error = await uploadPhotos({ url: 'https://api.example.com', fetch }, 's', [
      new Blob(['x']),
    ]).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'UploadError', code: 'NETWORK', status: 0 });
    expect((error as Error).message).toContain('fetch failed');
  });

  it('refuses anything that is neither a client from createClient nor options with a url', async () => {
    await expect(uploadPhotos({} as never, 's', [])).rejects.toThrow(
      /needs a client made by createClient/,
    );
  });
});
