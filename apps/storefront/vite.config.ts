/** Vite for the storefront: the API is proxied so the shop runs same-origin in development and preview. */
import react from '@vitejs/plugin-react';
import { securityHeaders } from '@restoreclick/security-headers';
import { defineConfig } from 'vite';

const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:3000';
// tRPC (queries, mutations and the order's server-sent events), photo uploads and ZIP downloads.
const proxy = Object.fromEntries(
  ['/trpc', '/uploads/', '/download/'].map((path) => [
    path,
    { target: apiTarget, changeOrigin: true },
  ]),
);

export default defineConfig({
  // CSP, frame and referrer headers on preview and dev, and dist/_headers for static hosts.
  plugins: [react(), securityHeaders()],
  server: { port: 5174, proxy },
  preview: { port: 4174, proxy },
});
