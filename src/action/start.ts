import * as core from '@actions/core';
import { nearMiss } from '../config/keys.js';
import { ChartshipError, describeError } from '../model/errors.js';
import { CHARTSHIP_VERSION } from '../model/version.js';
import { SETTINGS, resolveSettings, secretsOf, type RawSettings, type RunSettings, type SettingName } from '../pipeline/settings.js';
import { runnerContext, type RunnerContext } from './context.js';
import { failStep } from './log.js';

// What the action does before it loads the pipeline: read the inputs, mask the secrets among them and check them, so a
// typo in the workflow is reported before the bulk of the bundle is read.

/** A run whose inputs are read and checked. */
export interface Started {
  settings: RunSettings;
  context: RunnerContext;
}

function readInputs(): RawSettings {
  const raw: RawSettings = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) raw[name] = core.getInput(name);
  return raw;
}

/**
 * An input a step's `with:` almost names (`dryrun:`, `dry_run:`, `registy:`) reaches the action as an INPUT_ variable
 * no input reads: the runner only warns, and the run would go on without the dry run or the registry it meant, so it
 * fails here. One close to no input is left to the runner's warning.
 */
function refuseMistypedInputs(env: NodeJS.ProcessEnv): void {
  // The runner names an input's variable INPUT_ and the input in upper case (chartship's inputs have no spaces).
  const given = Object.keys(env).filter((name) => name.startsWith('INPUT_')).map((name) => name.slice('INPUT_'.length).toLowerCase());
  const miss = nearMiss(given, Object.keys(SETTINGS));
  if (miss) throw new ChartshipError('is not an input of chartship', { field: miss.name, code: 'SETTING_UNKNOWN', hint: `did you mean ${miss.meant}?` });
}

/** The inputs, read, masked and checked; throws the first problem with them. */
export function start(env: NodeJS.ProcessEnv): Started {
  const raw = readInputs();
  for (const secret of secretsOf(raw)) core.setSecret(secret);
  refuseMistypedInputs(env);
  // A wave's matrix has a job per shard, and GitHub runs at most 256 jobs of one; the CLI serves CIs with other limits.
  if (Number(raw.shards) > 256) throw new ChartshipError('must be at most 256 (GitHub\'s matrix job limit)', { field: 'shards' });
  const context = runnerContext(env);
  return { settings: resolveSettings(raw, context), context };
}

/**
 * The step's first line, as soon as the inputs are checked (before the pipeline is even read): which chartship runs,
 * for a workflow on a floating `@v1` tag and the bug report it files, and what it was asked to do. The targets are
 * safe to print: one carrying a password was refused above.
 */
export function announce({ settings }: Started): void {
  const { charts, targets, dryRun, shard } = settings.publish;
  const what =
    settings.mergeOutcomes.length > 0
      ? `merging the outcomes in ${settings.mergeOutcomes.join(', ')}`
      : `${(charts ?? []).join(', ')} to ${targets.join(', ')}${shard ? ` (wave ${shard.wave}, shard ${shard.index}/${shard.count})` : ''}${dryRun ? ' (dry run: nothing is pushed)' : ''}`;
  core.info(`chartship ${CHARTSHIP_VERSION ?? '(unbundled sources)'}: ${what}`);
}

/** One annotation per failure: on its file and line when it has one. */
export function reportFailure(error: unknown): void {
  if (error instanceof ChartshipError && error.file) {
    const { file, line, column, field, hint } = error;
    failStep(`${error.message}${hint ? ` (${hint})` : ''}`, { file, line, column, field });
  } else {
    failStep(describeError(error));
  }
}
