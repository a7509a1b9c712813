import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  // tsconfig.build.json maps the api's router module, and the core and db modules it uses, to their source files,
  // so the server's types are inlined into the .d.ts: the published package depends on no private package.
  tsconfig: 'tsconfig.build.json',
  dts: { resolve: [/^@restoreclick\//] },
  external: ['@trpc/client', '@trpc/server'],
});
