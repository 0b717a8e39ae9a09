import { parseCommand, usage } from '../args.js';
import type { CliIO } from '../io.js';
import { HELP, OPTIONS } from './plan-flags.js';

/** Flags and help only: the planning itself is read once the command line is known to ask for it (not for --help). */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand({ name: 'plan', help: HELP, positionals: { min: 0, max: 0, what: 'no arguments' }, options: OPTIONS }, argv, io);
  if (typeof parsed === 'number') return parsed;
  const spec = { name: 'plan', help: HELP };
  const { values } = parsed;
  // Two ways to say one thing, given both: which one the plan followed would be a guess the user never sees.
  if (values['since-tags'] && values.base !== undefined) return usage(spec, 'give --base or --since-tags, not both (they are two ranges)', io);
  const [tag, releaseTag] = [values['tag-template'], values['release-tag-template']];
  if (tag !== undefined && releaseTag !== undefined && tag !== releaseTag) return usage(spec, '--tag-template and --release-tag-template are one setting: give it once', io);
  const { runPlan } = await import('./plan-run.js');
  return runPlan(parsed.values, io);
}
