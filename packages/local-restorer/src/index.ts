/** Public surface of @restoreclick/local-restorer: restore photos on this machine, no model host needed. */
export {
  createLocalRestorer,
  DEFAULT_ESRGAN_MAX_INPUT_PIXELS,
  DEFAULT_MAX_INPUT_PIXELS,
  type LocalRestorationResult,
  type LocalRestorer,
  type LocalRestorerOptions,
} from './local-restorer';
export { EsrganThreadError, UnreadableImageError } from './errors';
