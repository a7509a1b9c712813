// `npm test`: installs exactly what the lockfile says, then runs every check CI runs: formatting, lint,
// types, builds, unit and integration tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePnpm, pnpm } from './pnpm.mjs';

ensurePnpm();
pnpm(['install', '--frozen-lockfile']);
pnpm(['run', 'format:check']);
pnpm(['exec', 'turbo', 'run', 'build', 'typecheck', 'lint', '--output-logs=errors-only']);

// Vitest exits 0 when a configuration error stops it before any test runs; read its JSON report so that a
// run with no tests, or with failures, can never pass.
const reportDir = mkdtempSync(path.join(tmpdir(), 'restoreclick-vitest-'));
const reportFile = path.join(reportDir, 'report.json');
pnpm([
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
]);
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
rmSync(reportDir, { recursive: true, force: true });
const failed = report.numFailedTests;
console.log(
  `\ntests: ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests} skipped`,
);
if (
  report.numTotalTests === 0 ||
  failed > 0 ||
  report.numFailedTestSuites > 0 ||
  report.success !== true
) {
  console.error('✗ The test run failed or ran no test.');
  process.exit(1);
}
