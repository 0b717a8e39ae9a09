import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stopRun } from './stopped-run.js';

// A run ended by SIGINT or SIGTERM (Ctrl-C, a cancelled CI job) runs no `finally`: the plan's bumps it wrote into the
// work tree would stay, and the next run in that checkout would read them as versions set by hand. So what is written
// for the while is held here until it is put back or kept, and a front end's signal handler puts back what is left.
// Node built-ins only: the CLI reads this module at every start. The pipeline holds and releases files; the front ends,
// which own the process, install the handler.

/** A work-tree file the run rewrote, with its text from before. */
export interface BumpedFile {
  file: string;
  before: string;
}

const held = new Map<string, string>();

/** Before writing `files`: from then on an interrupted run puts them back. The first text from before wins. */
export function holdForPutBack(files: readonly BumpedFile[]): void {
  for (const { file, before } of files) if (!held.has(file)) held.set(file, before);
}

/** Writes `files` back as they were. */
export async function putBack(files: readonly BumpedFile[]): Promise<void> {
  await Promise.all(files.map(({ file, before }) => writeFile(file, before)));
  keepAsWritten(files.map(({ file }) => file));
}

/** Of `files`, those still held, written back as they were (a bump that will not be committed after all). */
export async function putBackHeld(files: readonly string[]): Promise<void> {
  await putBack(files.flatMap((file) => (held.has(file) ? [{ file, before: held.get(file)! }] : [])));
}

/** The files stay as written (committed, or asked for): an interrupt no longer puts them back. */
export function keepAsWritten(files: readonly string[]): void {
  for (const file of files) held.delete(file);
}

/** Each signal a run is ended by, with the exit code a shell reports for a process that signal ended (128 + number). */
const INTERRUPTS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * For a front end, which owns the process: on SIGINT or SIGTERM, put back every file held, say so in one line, end the
 * run's processes, say what it pushed (stopped-run.ts), and end with 128 + the signal's number. Synchronous, as nothing after the handler runs. Once per signal: a second one while
 * the files are written ends the process as node's default does (Ctrl-C pressed twice).
 */
export function putBackOnInterrupt(say: (line: string) => void, exit: (code: number) => void): void {
  for (const [signal, code] of Object.entries(INTERRUPTS)) {
    process.once(signal, () => {
      const failed: string[] = [];
      let count = 0;
      for (const [file, before] of held) {
        try {
          writeFileSync(file, before);
          count++;
        } catch (error) {
          failed.push(`${file} (${(error as Error).message})`);
        }
      }
      held.clear();
      const what = count === 0 ? 'no bumped file to put back' : `put back ${count} file${count === 1 ? '' : 's'} the run had bumped`;
      say(`${signal}: stopped; ${what}${failed.length > 0 ? `; could not put back ${failed.join(', ')}` : ''}`);
      for (const line of stopRun()) say(line);
      exit(code);
    });
  }
}
