import { isAbsolute, join } from 'node:path';
import { ChartshipError, inField } from '../model/errors.js';
import { didYouMean } from '../config/index.js';
import { POLICY_MODES, type PolicyMode } from '../model/policy.js';
import { hostKey } from '../oci/registries/hosts.js';
import { credentialsInReference, lowercasedTarget, parseOciTarget } from '../oci/reference.js';
import type { ClassicIndexOptions } from './classic-index.js';
import { isUnmergedChangeEvent } from './events.js';
import type { PublishOptions } from './publish.js';
import { hostsLikeTargets, registryAuthSecrets, registryHosts, type SettingNotice } from './registry-hosts.js';
import { DEFAULT_TAG_TEMPLATE } from '../changes/tags.js';
import { readReleasePr, readRunMode, readVersioning, type ReleasePrSettings, type RunMode, type VersioningSettings } from './settings-versioning.js';
import { parseShard, shardCount } from './shards.js';
import { stickyMarker } from '../report/context.js';

/**
 * Every publish setting, once. The action reads them as inputs (action.yml must list the same names), the CLI as
 * `--name` flags or `CHARTSHIP_NAME` environment variables; both end in the same pure `resolveSettings`. Settings
 * marked `githubOnly` talk to GitHub and exist in the action only; secrets never come from CLI flags.
 */
export const SETTINGS = {
  registry: { kind: 'list', secret: false },
  username: { kind: 'string', secret: false },
  password: { kind: 'string', secret: true },
  'registry-auth': { kind: 'lines', secret: true },
  'registry-tls': { kind: 'lines', secret: false },
  'create-repositories': { kind: 'boolean', secret: false, default: 'false' },
  charts: { kind: 'list', secret: false, default: 'charts/*' },
  exclude: { kind: 'list', secret: false },
  'skip-deprecated': { kind: 'boolean', secret: false, default: 'false' },
  base: { kind: 'string', secret: false },
  'sign-key': { kind: 'string', secret: true },
  'sign-key-passphrase': { kind: 'string', secret: true },
  'version-bump': { kind: 'string', secret: false, default: 'conventional' },
  prerelease: { kind: 'string', secret: false },
  'other-types': { kind: 'string', secret: false },
  'app-version': { kind: 'string', secret: false },
  'bump-minor-pre-major': { kind: 'boolean', secret: false },
  'bump-patch-for-minor-pre-major': { kind: 'boolean', secret: false },
  'commit-bump': { kind: 'boolean', secret: false, default: 'false' },
  mode: { kind: 'string', secret: false, default: 'publish' },
  'release-pr': { kind: 'string', secret: false, default: 'single' },
  'release-branch': { kind: 'string', secret: false, default: 'chartship/release' },
  'create-releases': { kind: 'boolean', secret: false, default: 'false', githubOnly: true },
  'release-tag-template': { kind: 'string', secret: false },
  'make-latest': { kind: 'boolean', secret: false, default: 'false', githubOnly: true },
  'pr-comment': { kind: 'boolean', secret: false, default: 'true', githubOnly: true },
  'comment-id': { kind: 'string', secret: false, default: 'sticky', githubOnly: true },
  'classic-index': { kind: 'string', secret: false },
  'classic-index-url': { kind: 'string', secret: false },
  'dry-run': { kind: 'boolean', secret: false },
  overwrite: { kind: 'boolean', secret: false, default: 'false' },
  'fail-fast': { kind: 'boolean', secret: false, default: 'false' },
  'plain-http': { kind: 'boolean', secret: false, default: 'false' },
  'ca-file': { kind: 'string', secret: false },
  'insecure-skip-tls-verify': { kind: 'boolean', secret: false, default: 'false' },
  'github-token': { kind: 'string', secret: true, githubOnly: true },
  policy: { kind: 'string', secret: false, default: 'warn' },
  'policy-allowed-registries': { kind: 'list', secret: false },
  // No default: the action attests when the workflow grants `id-token: write`; the CLI when --attest is given.
  attest: { kind: 'boolean', secret: false },
  sigstore: { kind: 'string', secret: false },
  'sigstore-signing-config': { kind: 'string', secret: false },
  'sigstore-trusted-root': { kind: 'string', secret: false },
  shards: { kind: 'string', secret: false },
  wave: { kind: 'string', secret: false },
  shard: { kind: 'string', secret: false },
  'outcome-file': { kind: 'string', secret: false },
  'merge-outcomes': { kind: 'lines', secret: false, githubOnly: true },
} as const satisfies Record<string, { kind: 'string' | 'list' | 'lines' | 'boolean'; secret: boolean; default?: string; githubOnly?: boolean }>;

export type SettingName = keyof typeof SETTINGS;
export type RawSettings = Partial<Record<SettingName, string>>;

/** What the CI event says about the range to compare. */
export interface EventContext {
  eventName?: string;
  /** Commit the run is for. */
  sha: string;
  /** Range start the event implies (PR base, push `before`). */
  base?: string;
  head?: string;
  pullRequest?: number;
  /** Where the source lives. */
  cwd: string;
  /** `public`, `private` or `internal` when the CI says (GitHub's event payload). */
  repositoryVisibility?: string;
}

/** Attestation settings as given; the front end knows whether an ID token is at hand and decides the rest. */
export interface AttestChoice {
  /** true/false as set; undefined: decided by the front end (the action: whether `id-token: write` is granted). */
  enabled?: boolean;
  /** Set explicitly; undefined: as @actions/attest picks (public repositories public-good, others GitHub's). */
  sigstore?: 'public-good' | 'github';
  signingConfigFile?: string;
  trustedRootFile?: string;
}

export interface RunSettings {
  publish: Omit<PublishOptions, 'releases'>;
  prComment: boolean;
  /** Which sticky comment is this step's: steps with different ids keep one comment each on a pull request. */
  commentId: string;
  createReleases: boolean;
  makeLatest: boolean;
  tagTemplate: string;
  commitBump: boolean;
  /** What a run on a push does: publish, open a release pull request, or decide (release-mode.ts). */
  mode: RunMode;
  releasePr: ReleasePrSettings;
  /** The versioning the inputs or flags set (those not given are left to .chartship.yaml), and the tag template given. */
  versioning: VersioningSettings;
  githubToken?: string;
  pullRequest?: number;
  sha: string;
  attest: AttestChoice;
  /** Split the charts to publish into dependency waves of at most this many shards (the `shards` output). */
  shards?: number;
  /** Where a shard writes its outcome for the merge. */
  outcomeFile?: string;
  /** Outcome files (or directories of them) to merge instead of publishing. */
  mergeOutcomes: string[];
  /** What the settings took otherwise than written, or look mistyped, for the front end to warn of (a field each). */
  notices: SettingNotice[];
}

/** A push that creates a branch reports this as `before`: there is no range, so fall back to release tags. */
const NULL_SHA = /^0+$/;

export type { ReleasePrSettings, RunMode, VersioningSettings } from './settings-versioning.js';

export function resolveSettings(raw: RawSettings, event: EventContext): RunSettings {
  const read = settingsReader(raw);
  const notices: SettingNotice[] = [];
  const targets = registryTargets(read.list('registry'), notices);
  const versioning = readVersioning(read);
  const mode = readRunMode(read);
  const releasePr = readReleasePr(read);
  const policy = read.value('policy') as PolicyMode;
  if (!POLICY_MODES.includes(policy)) {
    const guess = didYouMean(policy, POLICY_MODES);
    throw new ChartshipError(`must be off, warn or enforce, got ${JSON.stringify(read.value('policy'))}`, { field: 'policy', ...(guess ? { hint: `did you mean "${guess}"?` } : {}) });
  }
  const target = registryAccess(read, targets, notices);
  notices.push(...idleSettings(read, versioning.versionBump));

  const classicIndex = classicIndexOf(read.optional('classic-index'), read.optional('classic-index-url'), read.bool('create-releases') ?? false, read.bool('overwrite') ?? false);
  const range = compareRange(read.optional('base'), event);
  // A merge queue's temporary branch is no place to publish from either: the push after the merge is.
  const isPullRequest = isUnmergedChangeEvent(event.eventName);
  const signKey = read.optional('sign-key');
  // Both come from secrets; a key secret that is not set (a typo in its name) reads as empty, and would publish unsigned.
  if (!signKey && read.optional('sign-key-passphrase')) {
    throw new ChartshipError('is empty, but sign-key-passphrase is given: the charts would go out unsigned', {
      field: 'sign-key',
      code: 'SETTING_INVALID',
      hint: 'a secret that is not set reads as empty',
    });
  }
  // Pull requests (and merge queues) only plan: publishing from unmerged code would release what was never reviewed.
  const dryRun = read.bool('dry-run') ?? isPullRequest;
  const sharding = shardingOf(read.optional('shards'), read.optional('shard'), read.optional('wave'), read.optional('outcome-file'), read.list('merge-outcomes'));
  const sigstore = read.optional('sigstore');
  if (sigstore !== undefined && sigstore !== 'public-good' && sigstore !== 'github') {
    throw new ChartshipError(`must be "public-good" or "github", got ${JSON.stringify(sigstore)}`, { field: 'sigstore', hint: 'for another Sigstore instance, give its sigstore-signing-config and sigstore-trusted-root' });
  }
  const file = (name: SettingName): string | undefined => {
    const path = read.optional(name);
    return path === undefined ? undefined : isAbsolute(path) ? path : join(event.cwd, path);
  };

  return {
    publish: {
      cwd: event.cwd,
      targets,
      target,
      charts: read.list('charts'),
      exclude: read.list('exclude'),
      skipDeprecated: read.bool('skip-deprecated'),
      ...range,
      tagTemplate: versioning.tagTemplate ?? DEFAULT_TAG_TEMPLATE,
      ...versioning.given,
      versionBump: versioning.versionBump,
      signKey: signKey ? { armoredKey: signKey, passphrase: read.optional('sign-key-passphrase') } : undefined,
      dryRun,
      // The bumps stay in the work tree only to be committed; otherwise the run leaves it as it found it. A shard
      // commits nothing: the merge of the shards does (recordMergedBumps).
      writeBumps: (read.bool('commit-bump') ?? false) && !sharding.shard,
      overwrite: read.bool('overwrite'),
      failFast: read.bool('fail-fast'),
      // The configuration file and what renders charts are the front end's to add. A dry run that plans shards leaves
      // the policy to them: each checks what it publishes, and rendering every chart here only delays the matrix.
      policy: { mode: sharding.shards && dryRun ? 'off' : policy, allowedRegistries: read.list('policy-allowed-registries') },
      // A shard leaves the classic index to the merge, as it leaves the bump commit: shards updating it at once would
      // race each other to it.
      ...(classicIndex && !sharding.shard ? { classicIndex } : {}),
      ...(sharding.shard ? { shard: sharding.shard } : {}),
    },
    prComment: read.bool('pr-comment') ?? true,
    commentId: commentId(read.value('comment-id')),
    createReleases: read.bool('create-releases') ?? false,
    makeLatest: read.bool('make-latest') ?? false,
    tagTemplate: versioning.tagTemplate ?? DEFAULT_TAG_TEMPLATE,
    commitBump: read.bool('commit-bump') ?? false,
    mode,
    releasePr,
    versioning,
    githubToken: read.optional('github-token'),
    pullRequest: event.pullRequest,
    sha: event.sha,
    attest: {
      enabled: read.bool('attest'),
      ...(sigstore ? { sigstore } : {}),
      signingConfigFile: file('sigstore-signing-config'),
      trustedRootFile: file('sigstore-trusted-root'),
    },
    ...(sharding.shards ? { shards: sharding.shards } : {}),
    ...(sharding.outcomeFile ? { outcomeFile: sharding.outcomeFile } : {}),
    mergeOutcomes: sharding.mergeOutcomes,
    notices,
  };
}

/**
 * How the registries are reached, for publish and for `plan --registry` alike: the login for the first registry's host
 * (username and password), logins and TLS per host, the transport.
 */
export function registryAccess(read: SettingsReader, targets: string[], notices: SettingNotice[]): RunSettings['publish']['target'] {
  const password = read.optional('password');
  const username = read.optional('username');
  if (password && !username) throw new ChartshipError('is required when a password is given', { field: 'username' });
  const hosts = registryHosts(read.value('registry-auth'), read.value('registry-tls'));
  const targetHosts = targets.filter((t) => t.startsWith('oci://')).map((t) => parseOciTarget(t).host);
  notices.push(...hostsLikeTargets(read.value('registry-auth'), read.value('registry-tls'), targetHosts));
  // username/password are for the first registry host: a registry-auth line for it too would be two logins.
  const first = targets.find((t) => t.startsWith('oci://'));
  const firstKey = first ? hostKey(parseOciTarget(first).host) : undefined;
  if (username && firstKey && hosts[firstKey]?.username !== undefined) {
    throw new ChartshipError(`${firstKey} is given a login twice: by username/password and by its registry-auth line`, {
      field: 'registry-auth',
      code: 'SETTING_INVALID',
      hint: 'keep one: the registry-auth line, or username and password',
    });
  }
  return {
    username,
    password,
    plainHttp: read.bool('plain-http'),
    caFile: read.optional('ca-file'),
    insecureSkipTlsVerify: read.bool('insecure-skip-tls-verify'),
    hosts,
    createRepositories: read.bool('create-repositories'),
  };
}

/** A sharded run: the plan's shard count, one shard's job (wave, shard, its outcome file), or the merge of them all. */
function shardingOf(shards: string | undefined, shard: string | undefined, wave: string | undefined, outcomeFile: string | undefined, mergeOutcomes: string[]) {
  if (wave !== undefined && shard === undefined) throw new ChartshipError('needs shard too (the matrix entry gives both)', { field: 'wave' });
  if (outcomeFile !== undefined && shard === undefined) throw new ChartshipError('is written by a shard\'s run: set shard and wave too', { field: 'outcome-file' });
  if (mergeOutcomes.length > 0 && shard !== undefined) throw new ChartshipError('merges the shards\' outcomes: a shard\'s own run does not', { field: 'merge-outcomes' });
  return {
    shards: shards === undefined ? undefined : shardCount(shards),
    shard: shard === undefined ? undefined : parseShard(shard, wave),
    outcomeFile,
    mergeOutcomes,
  };
}

export type SettingsReader = ReturnType<typeof settingsReader>;

/** Reads settings as text (default applied), a list (lines or commas, `#` comments), a boolean, or an optional value. */
export function settingsReader(raw: RawSettings) {
  const value = (name: SettingName): string => (raw[name] ?? '').trim() || (('default' in SETTINGS[name] ? SETTINGS[name].default : '') as string);
  return {
    value,
    // A `#` after a space starts a comment, as in YAML: inside a block scalar (`charts: |`) YAML keeps comments as
    // text, and `oci-layout:out  # local copy` would otherwise be a directory of that name.
    list: (name: SettingName): string[] =>
      value(name)
        .split(/[\n,]/)
        .map((s) => s.replace(/(^|\s)#.*$/, '').trim())
        .filter((s) => s !== ''),
    bool: (name: SettingName): boolean | undefined => {
      const v = value(name).toLowerCase();
      if (v === '') return undefined;
      if (['true', 'yes', '1', 'on'].includes(v)) return true;
      if (['false', 'no', '0', 'off'].includes(v)) return false;
      throw new ChartshipError(`must be true or false, got ${JSON.stringify(value(name))}`, { field: name });
    },
    optional: (name: SettingName): string | undefined => value(name) || undefined,
  };
}

/**
 * Settings given where another makes them do nothing: said, since the one given was likely meant to matter (a
 * prerelease channel left over under `version-bump: none` would otherwise ship the versions as written, unmarked).
 */
function idleSettings(read: ReturnType<typeof settingsReader>, versionBump: string): SettingNotice[] {
  const idle = (fields: SettingName[], because: string, when: boolean): SettingNotice[] =>
    when ? fields.filter((f) => read.value(f) !== ('default' in SETTINGS[f] ? SETTINGS[f].default : '')).map((field) => ({ field, message: `is given, but does nothing ${because}` })) : [];
  return [
    ...idle(['prerelease', 'other-types', 'bump-minor-pre-major', 'bump-patch-for-minor-pre-major'], 'with version-bump: none (the versions are published as written)', versionBump === 'none'),
    ...idle(['make-latest'], 'without create-releases: true', read.bool('make-latest') === true && read.bool('create-releases') !== true),
    ...idle(['ca-file', 'insecure-skip-tls-verify'], 'with plain-http: true (no TLS)', read.bool('plain-http') === true),
  ];
}

/**
 * The registry targets, each checked before anything runs: a typo fails at once, a URL with a password goes no further.
 * A namespace with capitals is taken in lowercase (see lowercasedTarget), with a notice saying so.
 */
export function registryTargets(given: string[], notices: SettingNotice[]): string[] {
  if (given.length === 0) throw new ChartshipError('is required', { field: 'registry', hint: 'e.g. oci://ghcr.io/OWNER/charts' });
  const targets: string[] = [];
  // One registry given twice (a line pasted twice, a trailing slash, Docker Hub under two names) would be pushed to
  // twice at once and reported twice.
  const seen = new Map<string, string>();
  for (const written of given) {
    const lowered = lowercasedTarget(written);
    if (lowered) notices.push({ field: 'registry', message: `${written} is pushed to as ${lowered} (registries take repository paths in lowercase only)` });
    // `oci-layout: ./out`, as YAML would space it, names ./out: no one means a directory whose name starts with a space.
    const target = (lowered ?? written).replace(/^oci-layout:\s+/, 'oci-layout:');
    let key: string;
    if (target.startsWith('oci-layout:')) key = `layout:${target.slice('oci-layout:'.length).replace(/^\.\//, '').replace(/\/+$/, '')}`;
    else {
      try {
        const { host, namespace } = parseOciTarget(target);
        key = `${hostKey(host)}/${namespace}`;
      } catch (error) {
        throw inField(error, 'registry');
      }
    }
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ChartshipError(`${written} is given twice${first === written ? '' : ` (also as ${first})`}`, { field: 'registry', code: 'CONFIG_INVALID', hint: 'give each registry once' });
    }
    seen.set(key, written);
    targets.push(target);
  }
  return targets;
}

/** The commit range to plan: an explicit base, else the one the CI event implies, else each chart's last release tag. */
export function compareRange(explicitBase: string | undefined, event: EventContext): { base?: string; head?: string; sinceTags: boolean; eventBase?: boolean } {
  const eventBase = event.base && !NULL_SHA.test(event.base) ? event.base : undefined;
  const base = explicitBase ?? eventBase;
  return { base, head: base ? (event.head ?? event.sha) : undefined, sinceTags: base === undefined, ...(explicitBase === undefined && eventBase !== undefined ? { eventBase: true } : {}) };
}

/**
 * `gh-pages` is that branch of `origin`; anything else a directory. The archives are served from `url` (or relative
 * to the index), unless releases are created and no URL is given: then from the release assets.
 */
export function classicIndexOf(where: string | undefined, url: string | undefined, createReleases: boolean, overwrite = false): ClassicIndexOptions | undefined {
  if (url !== undefined) {
    if (where === undefined) throw new ChartshipError('needs classic-index (gh-pages or a directory) to say where the index goes', { field: 'classic-index-url' });
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new ChartshipError(`must be an http(s) URL, got ${JSON.stringify(url)}`, { field: 'classic-index-url', hint: 'e.g. https://OWNER.github.io/REPO' });
    }
  }
  if (where === undefined) return undefined;
  // `gh-page` or `gh_pages` would write the index into a directory of the checkout that nothing publishes.
  if (where !== 'gh-pages' && !where.includes('/') && didYouMean(where, ['gh-pages'])) {
    throw new ChartshipError(`${JSON.stringify(where)} is neither gh-pages nor a path`, { field: 'classic-index', code: 'CONFIG_INVALID', hint: `did you mean gh-pages? A directory of that name is written ./${where}` });
  }
  return {
    location: where === 'gh-pages' ? { kind: 'branch', remote: 'origin', branch: 'gh-pages' } : { kind: 'directory', path: where },
    ...(url !== undefined ? { baseUrl: url } : {}),
    releaseAssets: url === undefined && createReleases,
    ...(overwrite ? { overwrite } : {}),
  };
}

/** The values to hide from every log: secrets and what is derived from them (the Basic header, key lines). */
export function secretsOf(raw: RawSettings): string[] {
  const secrets = (Object.keys(SETTINGS) as SettingName[])
    .filter((name) => SETTINGS[name].secret)
    .flatMap((name) => (raw[name] ?? '').split('\n').map((line) => line.trim()))
    .filter((line) => line.length > 3);
  const user = raw.username?.trim();
  const password = raw.password?.trim();
  if (user && password) secrets.push(Buffer.from(`${user}:${password}`).toString('base64'));
  secrets.push(...registryAuthSecrets(raw['registry-auth'] ?? ''));
  // A password written into a registry URL is refused, but masked first: the refusal must not be what leaks it.
  for (const target of (raw.registry ?? '').split(/[\n,]/)) secrets.push(...credentialsInReference(target.trim()));
  return [...new Set(secrets)];
}

/** The id of the sticky comment, checked as its marker takes it (it ends up inside an HTML comment). */
function commentId(id: string): string {
  try {
    stickyMarker(id);
    return id;
  } catch (error) {
    throw new ChartshipError(`${JSON.stringify(id)} may only use letters, digits, '.', '_', ':', '/' and single '-'`, { field: 'comment-id', cause: error, hint: 'e.g. ghcr or ecr-prod' });
  }
}
