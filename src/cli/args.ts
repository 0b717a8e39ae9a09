import { parseArgs } from 'node:util';
import type { CliIO } from './io.js';

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & object;
type Config<O extends Options> = { args: string[]; options: O; allowPositionals: true; strict: true; allowNegative: true };
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

export interface CommandSpec<O extends Options> {
  name: string;
  help: string;
  options: O;
  /** How many positional arguments, and what they are (for the usage message). */
  positionals: { min: number; max: number; what: string };
}

/**
 * Every command parses its flags the same way: `--help` prints the help (exit 0); an unknown flag, a missing value,
 * or a wrong number of arguments prints the problem and the help (exit 2). Returns the exit code in those cases.
 * A one-value flag given twice keeps the last, as helm's and git's flags do: a script's defaults
 * (`chartship publish $DEFAULTS "$@"`) are overridden by what follows them. `--no-FLAG` sets a boolean flag false: over
 * a CHARTSHIP_ variable, or where the default is true.
 */
export async function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[], io: CliIO): Promise<Parsed<O> | number> {
  let parsed: Parsed<O>;
  try {
    // Every command takes --help; declaring it here keeps it out of each command's option list.
    parsed = parseArgs({ args: argv, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true, allowNegative: true });
  } catch (error) {
    return usage(spec, await parseProblem(error as Error & { code?: string }, Object.keys(spec.options)), io);
  }
  if ((parsed.values as Record<string, unknown>)['help']) {
    io.stdout(spec.help);
    return 0;
  }
  const count = parsed.positionals.length;
  if (count < spec.positionals.min || count > spec.positionals.max) return usage(spec, `expected ${spec.positionals.what}, got ${count} argument(s)`, io);
  return parsed;
}

/**
 * node's words for a flag it does not know are about positionals; a typo deserves the flag it missed. The matcher is
 * loaded only for a mistyped command line, so that no command starts slower for it.
 */
async function parseProblem(error: Error & { code?: string }, flags: string[]): Promise<string> {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '--([^'=]+)'/.exec(error.message)?.[1] : undefined;
  if (unknown === undefined) return error.message;
  const guess = (await import('../config/keys.js')).didYouMean(unknown, [...flags, 'help']);
  return `unknown option --${unknown}${guess ? ` (did you mean --${guess}?)` : ''}`;
}

/** A command line the command cannot take: the problem, then the help; exit code 2. */
export function usage(spec: Pick<CommandSpec<Options>, 'name' | 'help'>, problem: string, io: CliIO): number {
  io.stderr(`chartship ${spec.name}: ${problem}\n\n${spec.help}`);
  return 2;
}
