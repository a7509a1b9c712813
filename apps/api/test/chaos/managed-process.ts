/**
 * One of our processes (api or worker) started from its source with tsx, with the node flags and memory
 * settings of its `npm start`, or a front end's vite: its output is kept (the secrets check reads it), it can
 * be killed with any signal, and its exit is known.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '@restoreclick/devkit/testing';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** True once it has exited, by itself or killed. */
  exited(): boolean;
  /** Resolves with the exit code (null when a signal ended it). */
  exit: Promise<number | null>;
  /** Sends the signal and resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Waits until `url` answers 200 (or the process exits, which fails). */
  waitUntilServing(url: string, timeoutMs?: number): Promise<void>;
}

export function startProcess(options: {
  name: string;
  cwd: string;
  env: Record<string, string>;
  /** Another program than `node --import tsx src/main.ts` (a front end's vite, say). */
  command?: { file: string; args: string[] };
}): ManagedProcess {
  const runtime = options.command ? { env: {}, nodeFlags: [] } : startScriptRuntime(options.cwd);
  const command = options.command ?? {
    file: process.execPath,
    args: [...runtime.nodeFlags, '--import', 'tsx', 'src/main.ts'],
  };
  const child = spawn(command.file, command.args, {
    cwd: options.cwd,
    env: { ...runtime.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let done = false;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  const managed: ManagedProcess = {
    name: options.name,
    child,
    output: () => output,
    exited: () => done,
    exit,
    async kill(signal) {
      if (!done) child.kill(signal);
      return exit;
    },
    async waitUntilServing(url, timeoutMs = 90_000) {
      const answers = async () => {
        try {
          return (await fetch(url)).status === 200;
        } catch {
          return false;
        }
      };
      const seen = await waitFor(
        async () => ((await answers()) ? 'serving' : done ? 'exited' : false),
        { timeout: timeoutMs, interval: 100, message: `${options.name} to serve ${url}` },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- ${options.name} output ---\n${output.slice(-3000)}`);
      });
      if (seen === 'exited') {
        throw new Error(`${options.name} exited while starting:\n${output.slice(-3000)}`);
      }
    },
  };
  return managed;
}

/**
 * The environment settings and node flags of the app's `start` script (`MALLOC_ARENA_MAX=2 node
 * --max-semi-space-size=2 dist/main.js`, say), so the process runs with the memory settings of production.
 */
export function startScriptRuntime(appDir: string): {
  env: Record<string, string>;
  nodeFlags: string[];
} {
  const manifest = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (manifest.scripts?.start ?? '').split(/\s+/).filter(Boolean);
  const nodeAt = words.indexOf('node');
  if (nodeAt === -1) throw new Error(`the start script of ${appDir} does not run node`);
  const env = Object.fromEntries(
    words.slice(0, nodeAt).map((word) => {
      const [name = '', ...value] = word.split('=');
      return [name, value.join('=')];
    }),
  );
  const nodeFlags = words.slice(nodeAt + 1).filter((word) => word.startsWith('--'));
  return { env, nodeFlags };
}
