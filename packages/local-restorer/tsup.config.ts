import { defineConfig } from 'tsup';

// Built, not consumed as source: the ESRGAN worker thread needs a real JavaScript file beside the entry.
export default defineConfig({
  entry: { index: 'src/index.ts', 'esrgan-thread': 'src/esrgan-thread.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  dts: { entry: { index: 'src/index.ts' } },
});
