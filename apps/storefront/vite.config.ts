import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API is proxied so the shop runs same-origin in development and preview.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:3000';
const proxy = { '/trpc': { target: apiTarget, changeOrigin: true } };

export default defineConfig({
  plugins: [react()],
  server: { port: 5174, proxy },
  preview: { port: 4174, proxy },
});
