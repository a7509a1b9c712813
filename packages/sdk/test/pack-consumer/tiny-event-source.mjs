/**
 * A small EventSource over fetch streams, standing in for a ponyfill such as the `eventsource` package (Node 20
 * has no EventSource): the parts of the standard the SDK's subscriptions use, reconnection included.
 */
export class TinyEventSource extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  CONNECTING = 0;
  OPEN = 1;
  CLOSED = 2;
  readyState = 0;
  onopen = null;
  onmessage = null;
  onerror = null;
  #abort = new AbortController();
  #retryMs = 1000;
  #retryTimer = undefined;
  #lastEventId = '';
  #idBuffer = '';
  #type = '';
  #data = [];

  constructor(url, init = {}) {
    super();
    this.url = String(url);
    this.withCredentials = Boolean(init.withCredentials);
    void this.#connect();
  }

  close() {
    this.readyState = this.CLOSED;
    clearTimeout(this.#retryTimer);
    this.#abort.abort();
  }

  #fire(event) {
    this.dispatchEvent(event);
    this[`on${event.type}`]?.call(this, event);
  }

  async #connect() {
    let response;
    try {
      const headers = { accept: 'text/event-stream' };
      if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
      response = await fetch(this.url, { headers, cache: 'no-store', signal: this.#abort.signal });
    } catch {
      this.#reconnect();
      return;
    }
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // The standard fails the connection for good on a wrong status or content type.
      this.readyState = this.CLOSED;
      this.#fire(new Event('error'));
      return;
    }
    this.readyState = this.OPEN;
    this.#fire(new Event('open'));
    try {
      await this.#read(response.body);
    } catch {
      // Closed by us, or the connection broke: both are handled by #reconnect.
    }
    this.#reconnect();
  }

  #reconnect() {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CONNECTING;
    this.#fire(new Event('error'));
    if (this.readyState === this.CLOSED) return;
    this.#retryTimer = setTimeout(() => void this.#connect(), this.#retryMs);
  }

  async #read(body) {
    let buffer = '';
    for await (const text of body.pipeThrough(new TextDecoderStream())) {
      // A CR at the very end may be the first half of a CRLF: keep it until the next chunk.
      const lines = (buffer + text).split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) this.#line(line);
    }
  }

  #line(line) {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return; // a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#type = value;
    else if (field === 'id' && !value.includes('\0')) this.#idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#retryMs = Number(value);
  }

  #dispatch() {
    this.#lastEventId = this.#idBuffer;
    const data = this.#data;
    const type = this.#type || 'message';
    this.#data = [];
    this.#type = '';
    if (data.length === 0 || this.readyState === this.CLOSED) return;
    this.#fire(
      new MessageEvent(type, {
        data: data.join('\n'),
        lastEventId: this.#lastEventId,
        origin: new URL(this.url).origin,
      }),
    );
  }
}
