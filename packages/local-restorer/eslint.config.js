import config from '@restoreclick/eslint-config/node';

export default config;
