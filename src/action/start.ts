import * as core from '@actions/core';
import { ChartshipError, describeError } from '../model/errors.js';
import { SETTINGS, resolveSettings, secretsOf, type RawSettings, type RunSettings, type SettingName } from '../pipeline/settings.js';
import { runnerContext, type RunnerContext } from './context.js';
import { actionLog } from './log.js';

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

/** The inputs, read, masked and checked; throws the first problem with them. */
export function start(env: NodeJS.ProcessEnv): Started {
  const raw = readInputs();
  for (const secret of secretsOf(raw)) core.setSecret(secret);
  const context = runnerContext(env);
  return { settings: resolveSettings(raw, context), context };
}

/** One annotation per failure: on its file and line when it has one. */
export function reportFailure(error: unknown): void {
  if (error instanceof ChartshipError && error.file) {
    const { file, line, column, field, hint } = error;
    actionLog.error(`${error.message}${hint ? ` (${hint})` : ''}`, { file, line, column, field });
    process.exitCode = core.ExitCode.Failure;
  } else {
    core.setFailed(describeError(error));
  }
}
