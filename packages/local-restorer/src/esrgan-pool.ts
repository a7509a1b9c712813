/**
 * The main-thread side of ESRGAN: worker threads started on first use and reused (the model loads once per
 * thread). A thread that crashes, exits or reports a failure rejects its pending call and is dropped, so the
 * next call gets a fresh one. Callers bound the number of calls at once; the pool keeps one thread per call.
 */
import { Worker } from 'node:worker_threads';
import { EsrganThreadError } from './errors';
import type { EsrganRequest, EsrganResponse } from './esrgan-protocol';
import type { RawImage } from './raw-image';

interface PendingCall {
  resolve(image: RawImage): void;
  reject(error: Error): void;
}

class EsrganThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, PendingCall>();
  #nextId = 1;
  #failure: Error | undefined;

  constructor(script: URL) {
    this.#worker = new Worker(script);
    // An idle thread must not keep the host process alive; it is referenced only while a call is running.
    this.#worker.unref();
    this.#worker.on('message', (response: EsrganResponse) => this.#settle(response));
    this.#worker.on('error', (error) =>
      this.#fail(
        new EsrganThreadError(`The ESRGAN thread crashed: ${error.message}`, { cause: error }),
      ),
    );
    this.#worker.on('exit', (code) =>
      this.#fail(
        new EsrganThreadError(`The ESRGAN thread exited unexpectedly (exit code ${code})`),
      ),
    );
  }

  get usable(): boolean {
    return this.#failure === undefined;
  }

  upscale(image: RawImage): Promise<RawImage> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (image.channels !== 3)
      return Promise.reject(new Error(`ESRGAN takes RGB pixels, not ${image.channels} channels`));
    const id = this.#nextId++;
    // A copy the thread can own: sharp's buffers may share their memory with other Buffers.
    const pixels = new Uint8Array(image.data).buffer;
    const request: EsrganRequest = { id, width: image.width, height: image.height, pixels };
    return new Promise<RawImage>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage(request, [pixels]);
    });
  }

  async terminate(reason: Error): Promise<void> {
    this.#fail(reason);
    await this.#worker.terminate();
  }

  #settle(response: EsrganResponse): void {
    const call = this.#pending.get(response.id);
    if (!call) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (response.ok) {
      call.resolve({
        data: Buffer.from(response.pixels),
        width: response.width,
        height: response.height,
        channels: 3,
      });
      return;
    }
    const error = new EsrganThreadError(`ESRGAN failed: ${response.message}`);
    call.reject(error);
    // After a failure inside TensorFlow.js the WebAssembly state cannot be trusted: start afresh next time.
    void this.terminate(error);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }
}

export class EsrganPool {
  readonly #script: URL;
  readonly #idle: EsrganThread[] = [];
  readonly #threads = new Set<EsrganThread>();
  #closed = false;

  constructor(script: URL) {
    this.#script = script;
  }

  /** How many threads are alive (idle or busy). */
  get size(): number {
    return this.#threads.size;
  }

  async upscale(image: RawImage): Promise<RawImage> {
    if (this.#closed) throw new EsrganThreadError('The ESRGAN threads are closed');
    let thread = this.#idle.pop();
    while (thread && !thread.usable) {
      this.#threads.delete(thread);
      thread = this.#idle.pop();
    }
    if (!thread) {
      thread = new EsrganThread(this.#script);
      this.#threads.add(thread);
    }
    try {
      return await thread.upscale(image);
    } finally {
      if (thread.usable && !this.#closed) this.#idle.push(thread);
      else this.#threads.delete(thread);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const reason = new EsrganThreadError('The local restorer was closed during the ESRGAN run');
    const threads = [...this.#threads];
    this.#threads.clear();
    this.#idle.length = 0;
    await Promise.all(threads.map((thread) => thread.terminate(reason)));
  }
}
