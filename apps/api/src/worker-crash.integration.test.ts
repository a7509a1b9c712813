/**
 * The real worker process, killed with SIGKILL five times in a row while orders are being restored, and started
 * again each time: every order still completes, and each email reaches SendGrid exactly once. Jobs of the dead
 * process come back through pg-boss heartbeats; every effect is guarded, so running a job twice changes nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalReplicate,
  type LocalSendGrid,
  startLocalReplicate,
  startLocalSendGrid,
} from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { type FullStack, startFullStack } from '../test/full-stack';
import { TEST_WEBHOOK_SECRET } from '../test/helpers';

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../worker');
const ORDERS = 6;
const KILLS = 5;

describe('worker killed with SIGKILL during restoration', () => {
  let replicate: LocalReplicate;
  let sendgrid: LocalSendGrid;
  let stack: FullStack;
  let running: ChildProcess | undefined;
  let log = '';

  beforeAll(async () => {
    replicate = await startLocalReplicate();
    sendgrid = await startLocalSendGrid();
    stack = await startFullStack({ inProcessWorker: false });
    // Every prediction takes a while, so kills land while restorations are in flight.
    replicate.setModelOutcome('flux-kontext-apps/restore-image', {
      kind: 'slow',
      processingMs: 1_500,
    });
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    await stack?.stop();
    await replicate?.stop();
    await sendgrid?.stop();
  });

  function startWorker(): ChildProcess {
    const { bucket, testDb } = stack;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: workerDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        DATABASE_URL: testDb.url,
        S3_ENDPOINT: bucket.endpoint,
        S3_BUCKET: bucket.bucket,
        S3_ACCESS_KEY_ID: bucket.accessKeyId,
        S3_SECRET_ACCESS_KEY: bucket.secretAccessKey,
        STRIPE_API_URL: stack.stripe.url,
        STRIPE_SECRET_KEY: stack.stripe.apiKey,
        STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        STOREFRONT_URL: 'http://shop.test',
        REPLICATE_API_TOKEN: replicate.apiToken,
        REPLICATE_API_URL: replicate.baseUrl,
        RESTORATION_POLL_DELAY_SECONDS: '1',
        RESTORATION_RETRY_DELAY_SECONDS: '0',
        SENDGRID_API_KEY: sendgrid.apiKey,
        SENDGRID_API_URL: sendgrid.url,
        SENDGRID_ACTIVITY_LAG_SECONDS: '0',
        WORKER_HEALTH_PORT: '0',
        WORKER_POLLING_INTERVAL_SECONDS: '0.5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** How many orders have reached `completed`; the test kills the worker while this moves. */
  async function completedOrders(): Promise<number> {
    const rows = await stack.testDb.db
      .selectFrom('orders')
      .select('id')
      .where('status', '=', 'completed')
      .execute();
    return rows.length;
  }

  it('completes every order and sends each email exactly once across 5 kills in a row', async () => {
    running = startWorker();
    const orderIds: string[] = [];
    for (let index = 0; index < ORDERS; index += 1) {
      orderIds.push(await stack.payForOrder({ photos: 2 }));
    }

    for (let attempt = 0; attempt < KILLS; attempt += 1) {
      // Kill once restorations are under way: a prediction has been created since the last start.
      const predictionsBefore = replicate.predictions().length;
      await waitFor(() => replicate.predictions().length > predictionsBefore, {
        timeout: 60_000,
        message: `restoration work before kill ${attempt + 1}`,
      });
      await kill(running);
      running = startWorker();
    }

    await waitFor(async () => (await completedOrders()) === ORDERS, {
      timeout: 150_000,
      interval: 500,
      message: `all ${ORDERS} orders to complete (worker log: ${log.slice(-2000)})`,
    });
    const emails = await stack.testDb.db
      .selectFrom('email_messages')
      .select(['id', 'order_id', 'kind', 'status'])
      .where('order_id', 'in', orderIds)
      .execute();
    await waitFor(
      async () =>
        (
          await stack.testDb.db
            .selectFrom('email_messages')
            .select('status')
            .where('order_id', 'in', orderIds)
            .execute()
        ).every((email) => email.status === 'sent'),
      { timeout: 60_000, message: 'every email to be sent' },
    );
    expect(emails).toHaveLength(ORDERS * 2);
    for (const email of emails) {
      const accepted = sendgrid
        .messages()
        .filter(
          (message) =>
            message.status === 202 && message.mail?.customArgs?.email_message_id === email.id,
        );
      expect(accepted, `${email.kind} of order ${email.order_id}`).toHaveLength(1);
    }
    const completions = await stack.testDb.db
      .selectFrom('order_events')
      .select('order_id')
      .where('type', '=', 'order.completed')
      .where('order_id', 'in', orderIds)
      .execute();
    expect(completions).toHaveLength(ORDERS);

    const stopped = new Promise<number | null>((resolve) => running?.once('exit', resolve));
    running.kill('SIGTERM');
    expect(await stopped).toBe(0);
  }, 300_000);
});
