/**
 * The API's security headers (hono's secureHeaders): it serves JSON, event streams, ZIPs and two small HTML
 * pages (dead download links), so its policy allows nothing but those pages' inline style, and no site may
 * frame it. HSTS only in production, where it is served over HTTPS.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export function apiSecurityHeaders(options: { hsts: boolean }): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Download links carry their token in the path: never pass it on.
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: options.hsts ? 'max-age=31536000; includeSubDomains' : false,
  });
}
