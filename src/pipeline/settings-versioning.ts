import { chartSelectors, didYouMean, PRERELEASE_CHANNEL, type ChartshipConfig } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import type { PlanOptions } from './plan.js';
import { appVersionPolicy, versioningRules, type ChartVersioning } from './versioning-rules.js';

type VersioningSetting =
  | 'version-bump'
  | 'prerelease'
  | 'other-types'
  | 'app-version'
  | 'bump-minor-pre-major'
  | 'bump-patch-for-minor-pre-major'
  | 'release-tag-template'
  | 'mode'
  | 'release-pr'
  | 'release-branch';

/** What these readers need of the settings (settings.ts's reader is one; plan's flags make another). */
export interface VersioningReader {
  value(name: VersioningSetting): string;
  optional(name: VersioningSetting): string | undefined;
  bool(name: VersioningSetting): boolean | undefined;
}

/** The part of the run's settings that .chartship.yaml's versioning completes. */
export interface VersionedSettings {
  versioning: VersioningSettings;
  tagTemplate: string;
  publish: Pick<PlanOptions, 'tagTemplate' | 'rulesFor' | 'selectors'>;
}

export const RUN_MODES = ['auto', 'publish', 'release-pr'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface ReleasePrSettings {
  /** The branch of the release pull request, or the prefix of one branch per chart (`BRANCH/<chart>`). */
  branch: string;
  perChart: boolean;
}

export interface VersioningSettings {
  versionBump: 'conventional' | 'none';
  given: ChartVersioning;
  tagTemplate?: string;
}

/**
 * The versioning settings that were given (`plan` reads them from its flags too, so both commands mean the same by
 * them); what is not given is left to .chartship.yaml's `versioning:` and then the defaults.
 */
export function readVersioning(read: VersioningReader): VersioningSettings {
  const given: ChartVersioning = {};
  const prerelease = read.optional('prerelease');
  if (prerelease !== undefined) given.prerelease = prereleaseChannel(prerelease);
  const otherTypes = read.optional('other-types');
  if (otherTypes !== undefined) given.otherTypes = oneOf(otherTypes, ['patch', 'none'] as const, 'other-types');
  const appVersion = appVersionPolicy(read.optional('app-version'), 'app-version');
  if (appVersion !== undefined) given.appVersion = appVersion;
  const minor = read.bool('bump-minor-pre-major');
  if (minor !== undefined) given.bumpMinorPreMajor = minor;
  const patch = read.bool('bump-patch-for-minor-pre-major');
  if (patch !== undefined) given.bumpPatchForMinorPreMajor = patch;
  const tagTemplate = read.optional('release-tag-template');
  return { versionBump: oneOf(read.value('version-bump'), ['conventional', 'none'] as const, 'version-bump'), given, ...(tagTemplate !== undefined ? { tagTemplate } : {}) };
}

/**
 * The versioning of .chartship.yaml laid under the settings: per-chart rules for the plan, and the tag template the
 * file sets when no input or flag did.
 */
export function applyVersioningConfig(settings: VersionedSettings, file: ChartshipConfig): void {
  const config = file.versioning;
  if (settings.versioning.tagTemplate === undefined && config['release-tag-template'] !== undefined) {
    settings.tagTemplate = config['release-tag-template'];
    settings.publish.tagTemplate = config['release-tag-template'];
  }
  settings.publish.rulesFor = versioningRules(config, settings.versioning.given);
  settings.publish.selectors = chartSelectors(file);
}

/**
 * A prerelease channel as .chartship.yaml takes it: one SemVer identifier (`rc` gives 1.3.0-rc.0, 1.3.0-rc.1), since
 * anything else makes no version (`RC 1`) or one whose counter is not the last part (`rc.1` gives 1.3.0-rc.1.0).
 */
function prereleaseChannel(value: string): string {
  if (PRERELEASE_CHANNEL.test(value)) return value;
  throw new ChartshipError(`must be one prerelease identifier (letters, digits and -), got ${JSON.stringify(value)}`, { field: 'prerelease', code: 'CONFIG_INVALID', hint: 'e.g. rc, beta or next' });
}

/** A value from a fixed list; a typo gets the closest one offered. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const guess = didYouMean(value, allowed);
  throw new ChartshipError(`must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { field, code: 'CONFIG_INVALID', ...(guess ? { hint: `did you mean "${guess}"?` } : {}) });
}

/** A branch name git accepts, outside refs/heads/ (it is pushed as refs/heads/<branch>). */
function releaseBranch(branch: string): string {
  const bad = /(^[/.-]|[/.]$|\.\.|\/\/|[\s~^:?*[\\]|@\{|\.lock(\/|$))/.exec(branch);
  if (bad || branch.startsWith('refs/')) {
    throw new ChartshipError(`${JSON.stringify(branch)} is not a branch name git accepts`, { field: 'release-branch', code: 'CONFIG_INVALID', hint: 'e.g. chartship/release' });
  }
  return branch;
}

export function readRunMode(read: VersioningReader): RunMode {
  return oneOf(read.value('mode'), RUN_MODES, 'mode');
}

export function readReleasePr(read: VersioningReader): ReleasePrSettings {
  return { branch: releaseBranch(read.value('release-branch')), perChart: oneOf(read.value('release-pr'), ['single', 'per-chart'] as const, 'release-pr') === 'per-chart' };
}
