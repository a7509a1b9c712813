/**
 * The security headers of the front ends (admin and storefront), in one place. A Vite plugin sets them on
 * `vite preview` (the production build), sets the ones that leave hot reloading alone on the dev server, and
 * writes them to `dist/_headers` for static hosts that read that file (Netlify, Cloudflare Pages); other hosts
 * copy them from docs/reliability.md. Plain JavaScript: Vite loads it with the config, as it is.
 */

/**
 * The Content-Security-Policy of a production build: our own scripts only, no frames of us anywhere, photos
 * from the bucket (presigned URLs, any host: narrow `img-src` to your bucket in production), calls to the API
 * (same origin, or VITE_API_URL's).
 */
export function contentSecurityPolicy({ connectSources = [], imageSources = ['https:'] } = {}) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React's style attributes, recharts and the admin's email preview (mjml's <style> blocks).
    "style-src 'self' 'unsafe-inline'",
    ['img-src', "'self'", 'data:', 'blob:', ...imageSources].join(' '),
    ['connect-src', "'self'", ...connectSources].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every response of a front end carries; `production` adds the policy and HSTS. */
export function frontEndSecurityHeaders({ production, ...policy }) {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The storefront's order pages carry the order's token in their path: never send it anywhere.
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(production
      ? {
          'Content-Security-Policy': contentSecurityPolicy(policy),
          'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        }
      : {}),
  };
}

/** `dist/_headers`: one block for every path. */
export function headersFile(headers) {
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  return `/*\n${lines.join('\n')}\n`;
}

function setAll(headers) {
  return (_request, response, next) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    next();
  };
}

/**
 * The Vite plugin. `vite preview` serves the production build over plain HTTP on this machine, so it gets the
 * policy without HSTS, and `http:` images (the embedded S3); the dev server gets no policy at all (its inline
 * hot-reload scripts and websocket would break).
 */
export function securityHeaders() {
  let connectSources = [];
  return {
    name: 'restoreclick-security-headers',
    configResolved(config) {
      const apiUrl = config.env.VITE_API_URL;
      connectSources = apiUrl ? [new URL(apiUrl).origin] : [];
    },
    configureServer(server) {
      server.middlewares.use(setAll(frontEndSecurityHeaders({ production: false })));
    },
    configurePreviewServer(server) {
      const headers = frontEndSecurityHeaders({
        production: true,
        connectSources,
        imageSources: ['https:', 'http:'],
      });
      delete headers['Strict-Transport-Security'];
      server.middlewares.use(setAll(headers));
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: headersFile(frontEndSecurityHeaders({ production: true, connectSources })),
      });
    },
  };
}
