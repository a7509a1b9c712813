/**
 * The ESRGAN worker thread: loads the model once when it starts and answers upscale requests, so the seconds of
 * WebAssembly arithmetic never run on the caller's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { type EsrganUpscaler, loadEsrganUpscaler } from './esrgan-model';
import type { EsrganRequest, EsrganResponse } from './esrgan-protocol';

if (!parentPort) throw new Error('esrgan-thread.js must be started as a worker thread');
const port = parentPort;

const upscaler: Promise<EsrganUpscaler> = loadEsrganUpscaler();
// Surface a failed load with the first request rather than as an unhandled rejection.
upscaler.catch(() => {});

port.on('message', async (request: EsrganRequest) => {
  let response: EsrganResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    const output = await (
      await upscaler
    ).upscale(new Uint8Array(request.pixels), request.width, request.height);
    const pixels = output.buffer as ArrayBuffer;
    response = {
      id: request.id,
      ok: true,
      width: request.width * 2,
      height: request.height * 2,
      pixels,
    };
    transfer = [pixels];
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(response, transfer);
});
