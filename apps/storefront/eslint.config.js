import config from '@restoreclick/eslint-config/react';

export default config;
