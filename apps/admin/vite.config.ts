import react from '@vitejs/plugin-react';
import { securityHeaders } from '@restoreclick/security-headers';
import { defineConfig } from 'vite';

// The API is proxied so the dashboard runs same-origin in development and preview (cookies, no CORS).
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:3000';
const proxy = {
  '/admin/trpc': { target: apiTarget, changeOrigin: true },
  '/trpc': { target: apiTarget, changeOrigin: true },
};

export default defineConfig({
  // CSP, frame and referrer headers on preview and dev, and dist/_headers for static hosts.
  plugins: [react(), securityHeaders()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
});
