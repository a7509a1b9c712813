/**
 * The 2× ESRGAN-slim model on TensorFlow.js' WebAssembly backend, loaded only from installed packages (no
 * network), and tiled inference over 8-bit RGB pixels. Runs inside the ESRGAN thread only.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Tfjs from '@tensorflow/tfjs';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';

// Both TensorFlow.js packages are CommonJS in Node; loading them with require guarantees they share one
// tfjs-core instance (the backend registers itself there) whatever the ESM interop would pick.
const require = createRequire(import.meta.url);

/**
 * Tiles of 256² keep the WebAssembly heap near 120 MiB whatever the photo size (a whole 512² input grew it by
 * 470 MiB, and a WebAssembly heap never shrinks). The model sees 10 pixels around each output pixel, so a
 * 12-pixel overlap makes the tiled result identical to a single pass.
 */
const TILE_SIDE = 256;
const TILE_OVERLAP = 12;
const SCALE = 2;

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: Tfjs.io.WeightsManifestEntry[] }[];
}

/** The folder of an installed package, found by walking up from its entry point to its own package.json. */
function packageRoot(packageName: string): string {
  let directory = path.dirname(require.resolve(packageName));
  for (;;) {
    const manifest = path.join(directory, 'package.json');
    try {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === packageName) return directory;
    } catch {
      // No package.json at this level: keep walking up.
    }
    const parent = path.dirname(directory);
    if (parent === directory)
      throw new Error(`Cannot find the folder of the ${packageName} package`);
    directory = parent;
  }
}

/** A tfjs IOHandler that reads the model and its weight shards from disk. */
async function loadModelFromDisk(tf: typeof Tfjs, modelFile: string): Promise<Tfjs.LayersModel> {
  const model = JSON.parse(await readFile(modelFile, 'utf8')) as ModelJson;
  const shardFiles = model.weightsManifest.flatMap((group) => group.paths);
  const shards = await Promise.all(
    shardFiles.map((shard) => readFile(path.join(path.dirname(modelFile), shard))),
  );
  const weights = Buffer.concat(shards);
  const handler: Tfjs.io.IOHandler = {
    load: async () => ({
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      format: model.format,
      generatedBy: model.generatedBy,
      convertedBy: model.convertedBy,
    }),
  };
  return tf.loadLayersModel(handler);
}

export interface EsrganUpscaler {
  /** 8-bit RGB in, 8-bit RGB at twice the width and height out. */
  upscale(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array>;
}

export async function loadEsrganUpscaler(): Promise<EsrganUpscaler> {
  const tf = require('@tensorflow/tfjs') as typeof Tfjs;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfjsWasm;
  const wasmFolder = path.join(packageRoot('@tensorflow/tfjs-backend-wasm'), 'dist');
  // A file: URL prefix makes the Emscripten loader read the .wasm binaries with fs instead of fetching them.
  wasm.setWasmPaths(`${pathToFileURL(wasmFolder).href}/`);
  if (!(await tf.setBackend('wasm')))
    throw new Error('The TensorFlow.js WebAssembly backend failed to start');
  await tf.ready();
  const model = await loadModelFromDisk(
    tf,
    path.join(packageRoot('@upscalerjs/esrgan-slim'), 'models', 'x2', 'model.json'),
  );

  async function upscaleTile(
    pixels: Uint8Array,
    width: number,
    region: { left: number; top: number; width: number; height: number },
  ): Promise<Int32Array> {
    const input = new Float32Array(region.width * region.height * 3);
    for (let row = 0; row < region.height; row += 1) {
      const start = ((region.top + row) * width + region.left) * 3;
      input.set(pixels.subarray(start, start + region.width * 3), row * region.width * 3);
    }
    // The RDN variant of ESRGAN-slim takes and returns values in 0–255.
    const output = tf.tidy(() => {
      const batch = tf.tensor4d(input, [1, region.height, region.width, 3]);
      const predicted = model.predict(batch) as Tfjs.Tensor;
      return predicted.clipByValue(0, 255).round().toInt();
    });
    try {
      return (await output.data()) as Int32Array;
    } finally {
      output.dispose();
    }
  }

  return {
    async upscale(pixels, width, height) {
      const outputWidth = width * SCALE;
      const result = new Uint8Array(outputWidth * height * SCALE * 3);
      for (let tileTop = 0; tileTop < height; tileTop += TILE_SIDE) {
        for (let tileLeft = 0; tileLeft < width; tileLeft += TILE_SIDE) {
          const tileWidth = Math.min(TILE_SIDE, width - tileLeft);
          const tileHeight = Math.min(TILE_SIDE, height - tileTop);
          const left = Math.max(0, tileLeft - TILE_OVERLAP);
          const top = Math.max(0, tileTop - TILE_OVERLAP);
          const right = Math.min(width, tileLeft + tileWidth + TILE_OVERLAP);
          const bottom = Math.min(height, tileTop + tileHeight + TILE_OVERLAP);
          const region = { left, top, width: right - left, height: bottom - top };
          const upscaled = await upscaleTile(pixels, width, region);
          // Copy the tile's own area, without the overlap, into place.
          const regionOutputWidth = region.width * SCALE;
          const skipLeft = (tileLeft - left) * SCALE;
          const skipTop = (tileTop - top) * SCALE;
          for (let row = 0; row < tileHeight * SCALE; row += 1) {
            const from = ((skipTop + row) * regionOutputWidth + skipLeft) * 3;
            const to = ((tileTop * SCALE + row) * outputWidth + tileLeft * SCALE) * 3;
            result.set(upscaled.subarray(from, from + tileWidth * SCALE * 3), to);
          }
        }
      }
      return result;
    },
  };
}
