/** The plan and the results: the one vocabulary shared by planning, publishing, the CLI, the action and reports. */

export type Bump = 'major' | 'minor' | 'patch' | 'prerelease' | 'none';

export interface ChangelogEntry {
  /** Conventional-commit type (`feat`, `fix`, …) or `other`. */
  type: string;
  scope?: string;
  subject: string;
  sha: string;
  shortSha: string;
  breaking: boolean;
  /** The text of its `BREAKING CHANGE:` footer, when it has one. */
  breakingNote?: string;
  /** Pull request number when the subject ends with `(#123)`. */
  pr?: number;
  /** The changelog section of its type, when the types are configured (`versioning.changelog-types`). */
  section?: string;
}

export interface PlanReason {
  /** Why this chart is in the plan. */
  kind: 'commit' | 'dependency' | 'manual-version' | 'first-release' | 'release-as' | 'forced' | 'released';
  message: string;
  sha?: string;
  /** For `dependency`: the chart whose release triggers this one. */
  chart?: string;
  /** For `released`: the released version the plan starts from (or, for a rerun, stays at). */
  version?: string;
}

/** A chart directory as people read it: `.` for the chart at the repository root (whose path is ''). */
export const shownPath = (path: string): string => path || '.';

export interface ChartPlan {
  name: string;
  /** Chart directory relative to the repository root, with `/` separators ('' for the root itself). */
  path: string;
  /** Chart.yaml path relative to the repository root (for annotations). */
  chartYaml: string;
  /** Files and directories elsewhere in the repository its symbolic links reach: commits there change it too. */
  linked?: string[];
  currentVersion: string;
  nextVersion: string;
  /** Version last released (from the release tag or the registry), if any. */
  previousVersion?: string;
  /** The release tag the chart's range starts from, when it starts from one. */
  previousTag?: string;
  bump: Bump;
  /** `release`: publish nextVersion. `unchanged`: already published with the same content. `skipped`: no change. */
  action: 'release' | 'unchanged' | 'skipped';
  reasons: PlanReason[];
  /** Local charts that depend on this one (names). */
  dependents: string[];
  /** Local charts this one depends on (names). */
  dependencies: string[];
  changelog: ChangelogEntry[];
  appVersion?: string;
  nextAppVersion?: string;
  deprecated?: boolean;
  /**
   * Released only because no registry holds it yet (the range did not change it): an enforced policy that refuses it
   * leaves it unpublished with a warning instead of failing the run, as it would have gone unpublished before.
   */
  firstPublication?: boolean;
  /**
   * Planned as a first release, at a version every target holds already (a local rerun, a workflow_dispatch without
   * a release tag): the push compares it, and pushes nothing when the content is the same.
   */
  held?: boolean;
  /**
   * Skipped, and last released (release tag or registry) at this version, ahead of Chart.yaml: bumps Chart.yaml does not have. Its content is
   * that release's, so a dependent released now packages it at this version, not at the older one of Chart.yaml.
   */
  releasedVersion?: string;
  /**
   * Skipped, but its current release (`version`, the highest a target holds) is missing from other targets (one added
   * to the list, one that missed a release): copied there from `from` as published, byte for byte; no new release.
   */
  missing?: { version: string; from: string; to: string[] };
}

/**
 * A chart that cannot be planned (its Chart.yaml or .helmignore is invalid, or it is in or depends on a dependency
 * cycle): reported as failed, while the other charts go on.
 */
export interface InvalidChart {
  path: string;
  chartYaml: string;
  /** Known when its Chart.yaml could be read. */
  name?: string;
  version?: string;
  /** The file at fault when it is not Chart.yaml (e.g. the chart's .helmignore). */
  file?: string;
  message: string;
  field?: string;
  line?: number;
  column?: number;
}

export interface Plan {
  /** Absolute path of the repository root: chart paths are relative to it. */
  root: string;
  base?: string;
  head: string;
  /** The `charts` globs the charts were looked for with. */
  patterns: string[];
  /** `host/ns` of each oci:// target (see normalizeNamespace): a dependency naming one names a chart of this repository. */
  ociNamespaces?: string[];
  /** Every discovered chart, in topological order (dependencies first). */
  charts: ChartPlan[];
  /** Charts whose directory disappeared in the range: reported, never published. */
  deleted: { name: string; path: string }[];
  invalid: InvalidChart[];
}

/** `planned`: a dry run would push it (its `registries` name where, without a digest). */
export type ChartStatus = 'pushed' | 'unchanged' | 'skipped' | 'failed' | 'planned';

export interface RegistryResult {
  /** The target as the user wrote it, e.g. `oci://ghcr.io/acme/charts`. */
  registry: string;
  /** `host/ns/name:tag` as helm prints it. */
  ref: string;
  /** Manifest digest; none where a dry run only planned the push. */
  digest?: string;
  provDigest?: string;
  status: 'pushed' | 'unchanged' | 'failed' | 'planned';
  error?: string;
  /** The Sigstore bundle stored beside the chart manifest in this registry. */
  attestation?: RegistryAttestation;
}

export interface RegistryAttestation {
  /** Digest of the referrer manifest that holds the bundle. */
  digest: string;
  /** `attested` in this run; `existing`: the chart was already published and attested. */
  status: 'attested' | 'existing';
  /** How the registry lists it: its referrers API, or the `sha256-<hex>` referrers tag. */
  via?: 'referrers-api' | 'referrers-tag';
  /** A command that verifies it, ready to paste (when the signer is known). */
  verify?: string;
  /** The same check with the GitHub CLI, when GitHub's attestations API recorded it. */
  ghVerify?: string;
  /** Attestations the registry held that do not verify for this chart and signer: why this run attested it again. */
  unverified?: { digest: string; reason: string }[];
}

/** The keyless signature made for a chart in this run (one for all its registries). */
export interface ChartAttestation {
  /** The certificate's identity, e.g. the workflow file URL at its ref. */
  identity: string;
  issuer: string;
  /** `public-good`, `github` or `custom`. */
  instance: string;
  predicateType: string;
  /** Index in the transparency log (Rekor), when the instance has one. */
  logIndex?: string;
  /** Id of the record in GitHub's attestations API. */
  githubId?: number;
  /** Whether chartship verified what it stored against the instance's trust root before reporting it. */
  verified: boolean;
}

export interface ChartResult {
  name: string;
  version: string;
  previousVersion?: string;
  path: string;
  status: ChartStatus;
  error?: string;
  signed: boolean;
  /** The key that signed it, for the verify instructions. */
  signer?: { fingerprint: string; userId?: string };
  registries: RegistryResult[];
  changelog: ChangelogEntry[];
  /** Release notes as written in the chart's CHANGELOG.md by a merged release pull request: shown instead of `changelog`. */
  notes?: string;
  release?: { tag: string; url?: string };
  attestation?: ChartAttestation;
  /** Copied from this registry to those missing its current release (ChartPlan.missing): no new release. */
  copiedFrom?: string;
}

/** One chart version of a classic repository copied (or not) into an OCI registry by `chartship migrate`. */
export interface MigratedVersion {
  name: string;
  version: string;
  /** `copied`: pushed now. `unchanged`: the registry holds the same chart already. */
  status: 'copied' | 'unchanged' | 'failed';
  /** `host/ns/name:tag` as helm prints it. */
  ref?: string;
  /** Manifest digest. */
  digest?: string;
  chartDigest?: string;
  provDigest?: string;
  error?: string;
}
