// `npm start`: installs what is missing, then starts Postgres, S3, api, worker, admin and storefront.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensurePnpm, pnpm } from './pnpm.mjs';

ensurePnpm();
pnpm(['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])]);
// Built packages: the storefront consumes the SDK as an outside shop would, and the worker loads the local
// restorer's ESRGAN thread from its dist folder.
pnpm(
  ['--filter', '@restoreclick/sdk', '--filter', '@restoreclick/local-restorer', 'run', 'build'],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);

const devkit = fileURLToPath(new URL('../packages/devkit/', import.meta.url));
const up = spawn('node_modules/.bin/tsx', ['src/cli/up.ts'], { cwd: devkit, stdio: 'inherit' });
// Ctrl-C reaches the whole process group by itself; a plain SIGTERM to us is passed on.
process.on('SIGTERM', () => up.kill('SIGTERM'));
process.on('SIGINT', () => {});
up.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
