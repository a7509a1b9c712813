/** Request paths in the logs never carry a download or access token. */
import { describe, expect, it } from 'vitest';
import { generateToken } from '@restoreclick/core';
import { loggablePath } from './loggable-path';

describe('loggable request paths', () => {
  it('hides the token of a download link, well-formed or not', () => {
    expect(loggablePath(`/download/${generateToken()}`)).toBe('/download/[redacted]');
    expect(loggablePath('/download/almost-a-token')).toBe('/download/[redacted]');
  });

  it('hides any token-shaped segment and keeps everything else', () => {
    expect(loggablePath(`/orders/${generateToken()}/photos`)).toBe('/orders/[redacted]/photos');
    expect(loggablePath('/trpc/orders.get,orders.watch')).toBe('/trpc/orders.get,orders.watch');
    expect(loggablePath('/uploads/6f1c2b7e-8d1f-4c1e-9a55-0a1b2c3d4e5f/files')).toBe(
      '/uploads/6f1c2b7e-8d1f-4c1e-9a55-0a1b2c3d4e5f/files',
    );
  });
});
