/**
 * A request path as it may appear in the logs: bearer secrets in it are replaced. A download link is its
 * token (`/download/<token>`), and any segment shaped like one of our tokens is treated as one.
 */
import { looksLikeToken } from '@restoreclick/core';

const REDACTED = '[redacted]';

export function loggablePath(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, index) =>
      segment !== '' && (looksLikeToken(segment) || segments[index - 1] === 'download')
        ? REDACTED
        : segment,
    )
    .join('/');
}
