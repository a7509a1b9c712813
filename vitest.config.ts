/**
 * Test projects for the whole workspace:
 * - unit: pure and fast, beside the code (`*.test.ts`);
 * - integration: `*.integration.test.ts`, against the embedded Postgres and S3 that the global setup starts;
 * - browser: `*.browser.test.ts` in an app's `test/` folder, Chromium against the whole system, which each file
 *   starts itself;
 * - chaos: `*.chaos.test.ts` in an app's `test/chaos/` folder, the api and worker processes with their own Postgres
 *   and S3, killed, cut off and loaded on purpose (small sizes here; `pnpm test:chaos` runs the full ones).
 */
import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', '**/dist/**', '**/.data/**'];

export default defineConfig({
  test: {
    // We run on Node 20 on purpose (see README); the AWS SDK's notice about its future Node 22 floor is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages,bench}/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: [...ignored, '**/*.integration.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            '{apps,packages}/*/src/**/*.integration.test.ts',
            '{apps,packages}/*/test/**/*.integration.test.ts',
          ],
          exclude: ignored,
          environment: 'node',
          globalSetup: ['./packages/devkit/src/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: files run two at a time, each against its own database.
          maxWorkers: 2,
          // Runs after the unit project (which uses vitest's default worker count).
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['apps/*/test/**/*.browser.test.ts'],
          exclude: ignored,
          environment: 'node',
          // Starting the whole system (Postgres, S3, api, worker, a production build) takes a while on two cores.
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          // Last, on its own: a browser and a whole system would compete with the integration tests for the cores.
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'chaos',
          include: ['apps/*/test/chaos/**/*.chaos.test.ts'],
          exclude: ignored,
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // One whole system at a time: kills, outages and load must not share the two cores with another.
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
