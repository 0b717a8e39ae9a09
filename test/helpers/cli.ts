import { spawn, type ChildProcess } from 'node:child_process';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliBundle, productTestEnv } from './bundle.js';

/** A CliIO that keeps what a command prints, for tests that run commands in-process. */
export function memoryIO(options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string }): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    readStdin: () => Promise.resolve(Buffer.from(options.stdin ?? '')),
    env: options.env ?? {},
    cwd: options.cwd,
  };
  return io;
}

/** `chartship ARGS…` in-process: the exit code and what it printed. */
export async function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIO(options);
  const code = await main(args, io);
  return { code, stdout: io.out, stderr: io.err };
}

/**
 * `node cli.js ARGS…` as users run it: the CLI bundled from the current sources (helpers/bundle.ts), in a child
 * process whose environment is PATH (and the suite's productTestEnv()) plus `env`, nothing else of the tester's. Asynchronous, so registries a test runs
 * in its own process keep answering.
 */
export async function runBundledCli(
  args: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    /** Options for node itself, before the script (e.g. `--import` of a preload). */
    nodeArgs?: string[];
    /** Called with the child once started (to signal it mid-run). */
    onSpawn?: (child: ChildProcess) => void;
  },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliBundle(), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'], ...productTestEnv(), ...options.env },
    timeout: 90_000,
  });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
  });
  return { code, stdout, stderr };
}
