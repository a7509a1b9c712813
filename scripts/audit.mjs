// `pnpm audit:deps` (and CI): the dependency audit policy. Production dependencies (`pnpm audit --prod`) with a
// high or critical advisory fail the run, unless audit-allowlist.json lists the advisory with a reason and a
// date until which the reason holds. Moderate and low advisories are listed, not failed on. When the registry's
// audit endpoint cannot be reached (offline, a proxy that refuses it), the run says so plainly and passes:
// that is not a finding about our dependencies. See docs/reliability.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const FAILING = new Set(['high', 'critical']);
const allowlistFile = new URL('../audit-allowlist.json', import.meta.url);

function readAllowlist() {
  const { allow } = JSON.parse(readFileSync(allowlistFile, 'utf8'));
  const today = new Date().toISOString().slice(0, 10);
  for (const entry of allow) {
    if (!entry.advisory || !entry.package || !entry.reason || !entry.until) {
      console.error(
        `✗ audit-allowlist.json: every entry needs advisory, package, reason and until: ${JSON.stringify(entry)}`,
      );
      process.exit(1);
    }
  }
  return {
    current: allow.filter((entry) => entry.until >= today),
    expired: allow.filter((entry) => entry.until < today),
  };
}

const run = spawnSync('pnpm', ['audit', '--prod', '--json'], {
  cwd: new URL('..', import.meta.url),
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}
if (!report || report.error || !report.advisories) {
  const reason =
    report?.error?.message ?? (run.stderr || run.stdout || `exit ${run.status}`).trim();
  console.warn(
    `⚠ Dependency audit skipped: the registry's audit endpoint could not be used (${reason.slice(0, 300)}). ` +
      'Nothing was checked; run `pnpm audit:deps` where the registry is reachable.',
  );
  process.exit(0);
}

const { current, expired } = readAllowlist();
const advisories = Object.values(report.advisories);
const blocking = [];
for (const advisory of advisories) {
  const id = advisory.github_advisory_id ?? String(advisory.id);
  const allowed = current.find(
    (entry) => entry.advisory === id && entry.package === advisory.module_name,
  );
  const line = `${advisory.severity.padEnd(8)} ${advisory.module_name} ${advisory.vulnerable_versions} — ${advisory.title} (${id}, ${advisory.url})`;
  if (!FAILING.has(advisory.severity)) console.log(`  reported  ${line}`);
  else if (allowed)
    console.log(
      `  allowed   ${line}\n            because: ${allowed.reason} (until ${allowed.until})`,
    );
  else blocking.push(line);
}
for (const entry of expired) {
  console.warn(
    `⚠ audit-allowlist.json: ${entry.advisory} (${entry.package}) expired on ${entry.until}; review it.`,
  );
}
const counts = report.metadata?.vulnerabilities ?? {};
console.log(
  `Dependency audit (production): ${advisories.length} advisories — critical ${counts.critical ?? 0}, high ${counts.high ?? 0}, moderate ${counts.moderate ?? 0}, low ${counts.low ?? 0}.`,
);
if (blocking.length > 0) {
  console.error(`✗ ${blocking.length} high or critical advisories in production dependencies:`);
  for (const line of blocking) console.error(`  ${line}`);
  console.error(
    'Upgrade the dependency, or add the advisory to audit-allowlist.json with the reason it does not affect us and a date to look again.',
  );
  process.exit(1);
}
console.log('✓ No high or critical advisory in production dependencies outside the allow-list.');
