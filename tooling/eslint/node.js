/** Lint config for Node packages and processes. */
import globals from 'globals';
import { base } from './base.js';

export default [...base, { languageOptions: { globals: { ...globals.node } } }];
