/** What browser tests import (`@restoreclick/devkit/browser-testing`): the running system and Chromium helpers. */
export {
  type FrontEnd,
  type RunningSystem,
  startSystem,
  type SystemOptions,
} from './running-system';
export {
  CHROMIUM,
  hasChromium,
  inCi,
  launchChromium,
  onFreshPage,
  type PhotoFile,
  samplePhoto,
  skipWithoutChromium,
} from './browser';
