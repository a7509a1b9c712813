/**
 * `tsup` bundles our workspace packages into dist/main.js and leaves npm packages external, which Node then
 * resolves from apps/worker/node_modules. An npm package that core or db imports but the worker does not
 * declare gets bundled instead (sharp's native loader breaks at start) or is missing at run time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKSPACE_FOLDERS: Record<string, string> = {
  '@restoreclick/core': 'packages/core',
  '@restoreclick/db': 'packages/db',
};

function runtimeDependencies(folder: string): Record<string, string> {
  const manifest = JSON.parse(
    readFileSync(path.join(repositoryRoot, folder, 'package.json'), 'utf8'),
  ) as {
    dependencies?: Record<string, string>;
  };
  return manifest.dependencies ?? {};
}

/** npm packages reached through the worker's workspace dependencies, with the package that needs each. */
function npmPackagesOfBundledWorkspaces(): Map<string, string> {
  const needed = new Map<string, string>();
  const pending = Object.keys(runtimeDependencies('apps/worker')).filter(
    (name) => name in WORKSPACE_FOLDERS,
  );
  const seen = new Set<string>();
  for (let workspace = pending.pop(); workspace !== undefined; workspace = pending.pop()) {
    if (seen.has(workspace)) continue;
    seen.add(workspace);
    const folder = WORKSPACE_FOLDERS[workspace];
    if (folder === undefined)
      throw new Error(`No folder known for ${workspace}: add it to WORKSPACE_FOLDERS.`);
    for (const name of Object.keys(runtimeDependencies(folder))) {
      // Built workspace packages (the local restorer) stay external, like npm packages.
      if (name in WORKSPACE_FOLDERS) pending.push(name);
      else if (!needed.has(name)) needed.set(name, workspace);
    }
  }
  return needed;
}

describe('worker bundle dependencies', () => {
  it('declares every npm package that the bundled core and db code imports', () => {
    const declared = new Set(Object.keys(runtimeDependencies('apps/worker')));
    const missing = [...npmPackagesOfBundledWorkspaces()]
      .filter(([name]) => !declared.has(name))
      .map(([name, workspace]) => `${name} (from ${workspace})`);
    expect(missing).toEqual([]);
  });
});
