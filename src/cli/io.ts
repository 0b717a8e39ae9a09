import { fstatSync } from 'node:fs';

/** What a CLI command may touch of the process: passed in, so tests run commands in-process with their own streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input (for `--password-stdin`). */
  readStdin(): Promise<Buffer>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout and stderr go to one place (a terminal, a CI job's log): what both say is read twice there. */
  oneOutput?: () => boolean;
}

/** A command gets its own arguments (after the command name) and returns the exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    env: process.env,
    cwd: process.cwd(),
    oneOutput: () => {
      try {
        const [out, err] = [fstatSync(1), fstatSync(2)];
        return out.dev === err.dev && out.ino === err.ino;
      } catch {
        return false;
      }
    },
  };
}
