/**
 * What each chaos scenario measured: printed, and kept in test-results/chaos/<scenario>.json so that
 * docs/reliability.md can quote a run's figures.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findRepositoryRoot } from '@restoreclick/devkit';
import { chaosScale } from './scale';

export const figuresDirectory = path.join(findRepositoryRoot(), 'test-results', 'chaos');

export async function recordFigures(
  scenario: string,
  figures: Record<string, unknown>,
): Promise<void> {
  await mkdir(figuresDirectory, { recursive: true });
  const body = { scenario, scale: chaosScale.name, measuredAt: new Date().toISOString(), figures };
  await writeFile(
    path.join(figuresDirectory, `${scenario}.json`),
    `${JSON.stringify(body, null, 2)}\n`,
  );
  console.log(`[chaos] ${scenario} (${chaosScale.name}): ${JSON.stringify(figures)}`);
}
