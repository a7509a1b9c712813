import { defineConfig } from 'tsup';

// One file for production: core and db are bundled in; npm dependencies stay external, and so does the local
// restorer, a built package whose worker-thread script must stay beside its entry.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@restoreclick\/(core|db)$/],
});
