// `pnpm test:chaos`: the reliability and security suite (docs/reliability.md) at full size — replay storm,
// worker kills, database restart, S3 outage, bad-input corpus, authorization matrix, load, security headers and
// secrets in logs — on the real api and worker processes, plus the admin side of the authorization matrix
// (admin-access.integration.test.ts). CI runs the same files at small sizes within `npm test`. Any size can be
// overridden with its CHAOS_… variable (apps/api/test/chaos/scale.ts); figures go to test-results/chaos/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePnpm, pnpm } from './pnpm.mjs';

ensurePnpm();
const reportDir = mkdtempSync(path.join(tmpdir(), 'restoreclick-chaos-'));
const reportFile = path.join(reportDir, 'report.json');
pnpm(
  [
    'exec',
    'vitest',
    'run',
    '--project',
    'chaos',
    '--project',
    'integration',
    'apps/api/test/chaos/',
    'apps/api/src/admin-access.integration.test.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ],
  { env: { ...process.env, CHAOS_SCALE: process.env.CHAOS_SCALE ?? 'full' } },
);
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
rmSync(reportDir, { recursive: true, force: true });
console.log(
  `\nchaos suite: ${report.numPassedTests} passed, ${report.numFailedTests} failed; figures in test-results/chaos/`,
);
if (report.numTotalTests === 0 || report.numFailedTests > 0 || report.success !== true) {
  console.error('✗ The chaos suite failed or ran no test.');
  process.exit(1);
}
