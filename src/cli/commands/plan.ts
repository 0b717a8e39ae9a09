import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { HELP, OPTIONS } from './plan-flags.js';

/** Flags and help only: the planning itself is read once the command line is known to ask for it (not for --help). */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand({ name: 'plan', help: HELP, positionals: { min: 0, max: 0, what: 'no arguments' }, options: OPTIONS }, argv, io);
  if (typeof parsed === 'number') return parsed;
  const { runPlan } = await import('./plan-run.js');
  return runPlan(parsed.values, io);
}
