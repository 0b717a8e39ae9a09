import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** A CliIO that keeps what a command prints, for tests that run commands in-process. */
export function memoryIO(options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string }): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    readStdin: async () => Buffer.from(options.stdin ?? ''),
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
