import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionBundle, productTestEnv } from './bundle.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * The Node.js a runner starts the action with (action.yml `runs.using`), as scripts/test.mjs fetched it with the
 * other installs (scripts/action-runtime.mjs): tests reach only loopback, so a missing one fails here.
 */
export async function runnerNode(): Promise<{ path: string; version: string }> {
  const runtime = (await import(join(root, 'scripts', 'action-runtime.mjs'))) as { ACTION_NODE_VERSION: string; actionNodePath: () => string };
  const path = runtime.actionNodePath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run the tests with npm test, which fetches the action's node`);
  return { path, version: runtime.ACTION_NODE_VERSION };
}

export interface ActionRun {
  status: number | null;
  /** stdout and stderr together: the workflow commands the runner would read. */
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs the action's bundled entry point in a child process the way the runner does: inputs as `INPUT_*`, the event as
 * a JSON file, outputs and the summary as files. Asynchronous on purpose: registries and API servers a test runs in
 * its own process must keep answering while the action talks to them.
 */
export async function runAction(options: {
  cwd: string;
  /** A scratch directory for the event, output and summary files. */
  dir: string;
  inputs: Record<string, string>;
  event?: { name: string; payload: object };
  env?: NodeJS.ProcessEnv;
  /** The bundled entry point to run; default: index.js bundled from the current sources (helpers/bundle.ts). */
  bundle?: string;
  /** The node binary to run it with; default: this process's (the oldest node the CLI supports, not a runner's). */
  node?: string;
  /** Called with the child once started (to signal it mid-run, as a runner cancelling the job does). */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<ActionRun> {
  mkdirSync(options.dir, { recursive: true });
  const file = (name: string, text = '') => {
    const path = join(options.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    ...productTestEnv(),
    HOME: options.dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event?.name ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: file('event.json', JSON.stringify(options.event?.payload ?? {})),
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary'),
    ...options.env,
  };
  // The runner upper-cases input names and keeps their dashes.
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const child = spawn(options.node ?? process.execPath, [options.bundle ?? actionBundle()], { cwd: options.cwd, env, timeout: 90_000 });
  options.onSpawn?.(child);
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

  const outputs: Record<string, string> = {};
  for (const match of readFileSync(env['GITHUB_OUTPUT']!, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return { status, log, outputs, summary: readFileSync(env['GITHUB_STEP_SUMMARY']!, 'utf8') };
}
