/** Reading what the API sends on the wire in tests: tRPC calls, server-sent events, ZIP archives. */

export interface TrpcFailure {
  message: string;
  data: { code: string; httpStatus: number };
}

export interface CallOptions {
  /** `/trpc` (the storefront, default) or `/admin/trpc`. */
  endpoint?: string;
  /** Extra request headers: a session cookie, an Origin. */
  headers?: Record<string, string>;
}

/** Calls a procedure over HTTP (the storefront's unless told otherwise); resolves with its data or its error. */
export async function callProcedure<T>(
  apiUrl: string,
  path: string,
  input: unknown,
  method: 'query' | 'mutation',
  options: CallOptions = {},
): Promise<{ ok: true; data: T } | { ok: false; error: TrpcFailure }> {
  const base = `${apiUrl}${options.endpoint ?? '/trpc'}/${path}`;
  const response =
    method === 'mutation'
      ? await fetch(base, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify(input),
        })
      : await fetch(
          input === undefined ? base : `${base}?input=${encodeURIComponent(JSON.stringify(input))}`,
          { headers: { ...options.headers } },
        );
  const body = (await response.json()) as { result?: { data: T }; error?: TrpcFailure };
  if (body.result) return { ok: true, data: body.result.data };
  if (!body.error) throw new Error(`no result or error from ${path}`);
  return { ok: false, error: body.error };
}

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/**
 * Reads server-sent events from a tRPC subscription until `done` says so (or the timeout passes), then
 * closes the connection. Returns every event seen.
 */
export async function readEvents(
  url: string,
  done: (events: SseEvent[]) => boolean,
  options: { timeoutMs?: number; lastEventId?: string } = {},
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  const events: SseEvent[] = [];
  try {
    const response = await fetch(url, {
      headers: {
        accept: 'text/event-stream',
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      },
      signal: controller.signal,
    });
    if (!response.body) throw new Error(`no stream from ${url} (${response.status})`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { id: undefined, event: undefined, data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id:')) event.id = line.slice(3).trim();
          else if (line.startsWith('event:')) event.event = line.slice(6).trim();
          else if (line.startsWith('data:')) event.data += line.slice(5).trim();
        }
        if (event.data || event.event) events.push(event);
        if (done(events)) return events;
        end = buffer.indexOf('\n\n');
      }
    }
    return events;
  } catch (error) {
    if (controller.signal.aborted) return events;
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
}

/** The entries of a ZIP from its central directory (enough for a test to check names and sizes). */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const endSignature = 0x06054b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== endSignature) end -= 1;
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('broken central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      crc32: zip.readUInt32LE(offset + 16),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of one stored (uncompressed) entry of a ZIP, found through its central directory. */
export function readZipFile(zip: Buffer, name: string): Buffer {
  const endSignature = 0x06054b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== endSignature) end -= 1;
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < count; index += 1) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      if (zip.readUInt16LE(offset + 10) !== 0) throw new Error(`${name} is compressed`);
      const size = zip.readUInt32LE(offset + 20);
      const local = zip.readUInt32LE(offset + 42);
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      return zip.subarray(dataStart, dataStart + size);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`no entry ${name} in the ZIP`);
}
