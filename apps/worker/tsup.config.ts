import { defineConfig } from 'tsup';

// One file for production: workspace packages are bundled in, npm dependencies stay external.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@restoreclick\//],
});
