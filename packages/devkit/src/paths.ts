/** Where the repository root and its `.data/` folder are, found from this file. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepositoryRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  let current = start;
  for (;;) {
    if (existsSync(path.join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`No pnpm-workspace.yaml above ${start}`);
    current = parent;
  }
}

export function dataDirectory(): string {
  return path.join(findRepositoryRoot(), '.data');
}
