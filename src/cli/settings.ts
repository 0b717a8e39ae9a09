import { resolve } from 'node:path';
import { nearMiss } from '../config/keys.js';
import { ChartshipError, relocated } from '../model/errors.js';
import type { TargetOptions } from '../oci/index.js';
import type { SettingNotice } from '../pipeline/registry-hosts.js';
import { registryAccess, registryTargets, SETTINGS, type EventContext, type RawSettings, type SettingName, type SettingsReader } from '../pipeline/settings.js';
import { ciSystem } from './ci.js';
import { passwordFromStdin, readFlagFile } from './inputs.js';
import type { CliIO } from './io.js';
import { stderrLog } from './log.js';

/** Secrets come from a file a flag names instead of from the command line. */
const FILE_SETTINGS = { 'sign-key': 'sign-key-file', 'sign-key-passphrase': 'sign-key-passphrase-file', 'registry-auth': 'registry-auth-file' } as const;
/** Settings that name a file: relative to where the command runs, as the file flags are. */
const PATH_SETTINGS = ['sigstore-signing-config', 'sigstore-trusted-root'] as const;

/** A `--name` flag for every setting that is neither a secret nor GitHub's alone, plus the secrets' file flags. */
export function settingFlags(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const flags: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(SETTINGS)) {
    if (spec.secret || ('githubOnly' in spec && spec.githubOnly)) continue;
    flags[name] = { type: spec.kind === 'boolean' ? 'boolean' : 'string', multiple: spec.kind === 'list' || spec.kind === 'lines' };
  }
  for (const flag of Object.values(FILE_SETTINGS)) flags[flag] = { type: 'string' };
  return flags;
}

/** The registries given and how to reach them, as publish reads them; what the settings took otherwise is warned of. */
export function registriesReached(read: SettingsReader, given: string[], io: CliIO): { targets: string[]; target: TargetOptions } {
  const notices: SettingNotice[] = [];
  const targets = registryTargets(given, notices);
  const access = registryAccess(read, targets, notices);
  const log = stderrLog(io);
  for (const notice of notices) log.warning(notice.message, { field: notice.field });
  return { targets, target: { ...access, env: io.env, cwd: io.cwd } };
}

/**
 * Settings only the action has (GitHub releases, the PR comment, merge mode): the CLI has no flag for them, and a
 * variable set for one (a CI's CHARTSHIP_CREATE_RELEASES=true) would otherwise be ignored without a word.
 */
const ACTION_ONLY = (Object.keys(SETTINGS) as SettingName[]).filter((name) => {
  const spec = SETTINGS[name];
  return 'githubOnly' in spec && spec.githubOnly && !spec.secret;
});

/** The settings as text: flags win over CHARTSHIP_* variables; secrets come only from variables, files or stdin. */
export async function readRawSettings(values: Record<string, string | string[] | boolean | undefined>, io: CliIO): Promise<RawSettings> {
  refuseMistypedVariables(io.env);
  const raw: RawSettings = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    if (ACTION_ONLY.includes(name)) {
      const variable = variableOf(name);
      if (io.env[variable] !== undefined) stderrLog(io).warning(`is the GitHub Action's ${name} input, which the CLI does not have: ignored`, { field: variable });
      continue;
    }
    const flag = values[name];
    const fromFlag = Array.isArray(flag) ? flag.join('\n') : typeof flag === 'boolean' ? String(flag) : flag;
    raw[name] = fromFlag ?? io.env[variableOf(name)];
  }
  for (const [setting, flag] of Object.entries(FILE_SETTINGS)) {
    const file = values[flag];
    if (typeof file === 'string' && file) raw[setting as SettingName] = (await readFlagFile(io, file, `--${flag}`)).trim();
  }
  if (values['password-stdin']) raw.password = (await passwordFromStdin(io)).trim();
  for (const name of PATH_SETTINGS) if (raw[name]) raw[name] = resolve(io.cwd, raw[name]);
  return raw;
}

/** The variable a setting is read from: `registry-auth` → CHARTSHIP_REGISTRY_AUTH. */
const variableOf = (name: string) => `CHARTSHIP_${name.toUpperCase().replaceAll('-', '_')}`;
/**
 * An error about a setting, named as the user gave the setting: the CHARTSHIP_ variable it was read from when no flag
 * gave it ("dry-run: must be true or false" would send them looking for a flag nobody passed).
 */
export function inVariableTerms(error: unknown, argv: string[], env: NodeJS.ProcessEnv): unknown {
  if (!(error instanceof ChartshipError) || error.file !== undefined || error.field === undefined || !Object.hasOwn(SETTINGS, error.field)) return error;
  const setting = error.field;
  const variable = variableOf(setting);
  const flagged = argv.some((arg) => arg === `--${setting}` || arg.startsWith(`--${setting}=`) || arg === `--no-${setting}`);
  return flagged || env[variable] === undefined ? error : relocated(error, { field: variable });
}

/** Variables other commands read (migrate's source registry). */
const OTHER_VARIABLES = ['CHARTSHIP_SOURCE_USERNAME', 'CHARTSHIP_SOURCE_PASSWORD'];

/**
 * A CHARTSHIP_ variable a setting almost names is a typo that would otherwise be ignored without a word (the run
 * going on without the registry, the key or the mode it sets): refused, as a mistyped flag is. A variable close to
 * no setting may be the user's own, and is left alone.
 */
function refuseMistypedVariables(env: NodeJS.ProcessEnv): void {
  // Compared as the names after the prefix, which every variable shares and which would make any two look alike.
  const bare = (name: string) => name.slice('CHARTSHIP_'.length).toLowerCase().replaceAll('_', '-');
  const given = new Map(Object.keys(env).filter((name) => name.startsWith('CHARTSHIP_')).map((name) => [bare(name), name]));
  const miss = nearMiss([...given.keys()], [...Object.keys(SETTINGS).map(variableOf), ...OTHER_VARIABLES].map(bare));
  if (miss) throw new ChartshipError('is not a chartship variable', { field: given.get(miss.name), code: 'SETTING_UNKNOWN', hint: `did you mean ${variableOf(miss.meant)}?` });
}

/** The range a CI's variables imply, and whether the pipeline builds a pull (merge) request, which only plans. */
export function ciEvent(env: NodeJS.ProcessEnv, cwd: string): EventContext {
  const ci = ciSystem(env);
  // GitHub Actions' range is in its event payload, which the action reads: the CLI there plans from release tags.
  if (!ci) return { sha: 'HEAD', cwd };
  return { eventName: ci.changeRequest ? 'pull_request' : 'push', sha: ci.sha ?? 'HEAD', base: ci.base, cwd };
}

/** CI systems check out a detached HEAD and name the branch in a variable. */
export function namedBranch(env: NodeJS.ProcessEnv): string | undefined {
  const ci = ciSystem(env);
  return ci ? ci.branch : env['CI_COMMIT_BRANCH'] || env['BRANCH_NAME'] || env['GIT_BRANCH']?.replace(/^origin\//, '') || undefined;
}
