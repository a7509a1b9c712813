// Finds pnpm 10 (installing the pinned version with npm when it is missing) and runs commands with it.
// Plain Node with no dependencies: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const rootPackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
export const PNPM_VERSION = rootPackage.packageManager.replace(/^pnpm@/, '');

function pnpmVersion() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function ensurePnpm() {
  const found = pnpmVersion();
  if (found?.startsWith('10.')) return;
  console.log(
    found
      ? `pnpm ${found} found; installing pnpm ${PNPM_VERSION} (pnpm 11 does not run on Node 20) …`
      : `pnpm not found; installing pnpm ${PNPM_VERSION} with npm …`,
  );
  const install = spawnSync('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`], {
    stdio: 'inherit',
  });
  if (install.status !== 0 || !pnpmVersion()?.startsWith('10.')) {
    console.error(
      `Could not install pnpm ${PNPM_VERSION}. Install it yourself (npm i -g pnpm@${PNPM_VERSION}) and run this again.`,
    );
    process.exit(1);
  }
}

/** Runs pnpm with the given arguments in the repository root; exits with its code when it fails. */
export function pnpm(args, options = {}) {
  const result = spawnSync('pnpm', args, {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url),
    ...options,
  });
  if (result.status !== 0) {
    console.error(`\n✗ pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
