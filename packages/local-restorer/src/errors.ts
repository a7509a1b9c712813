/** The two ways a local restoration fails: the input cannot be restored at all, or the ESRGAN thread broke. */

/** The bytes are not an image we can read (corrupt, truncated, unsupported or over the pixel limit): do not retry. */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

/** The ESRGAN thread crashed, exited or failed mid-run: the next call starts a fresh thread, so a retry may succeed. */
export class EsrganThreadError extends Error {
  override name = 'EsrganThreadError';
}
