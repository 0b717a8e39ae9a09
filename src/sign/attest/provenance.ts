import { ChartshipError } from '../../model/errors.js';

/** The GitHub Actions workflow build type (slsa-framework/github-actions-buildtypes, workflow/v1). */
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
/** chartship's build type for other CI systems, described in docs/attestations.md. */
export const CHARTSHIP_CI_BUILD_TYPE = 'https://github.com/chartship/chartship/blob/v1/docs/attestations.md#build-type-ci-v1';

/** What the run knows about itself besides the ID token (the CI's own variables, the commit published). */
export interface BuildContext {
  /** `GITHUB_SERVER_URL` on GitHub. */
  serverUrl: string;
  /** Web URL of the source repository, when the CI names it. */
  repositoryUrl?: string;
  ref?: string;
  /** The commit the charts were published from. */
  commit?: string;
  /** Link to this CI run. */
  runUrl?: string;
}

/** The claims of a GitHub Actions ID token that the workflow build type needs. */
const GITHUB_CLAIMS = ['ref', 'sha', 'repository', 'event_name', 'job_workflow_ref', 'workflow_ref', 'repository_id', 'repository_owner_id', 'runner_environment', 'run_id', 'run_attempt'];

export function isGitHubActionsToken(claims: Record<string, unknown>): boolean {
  return GITHUB_CLAIMS.every((claim) => typeof claims[claim] === 'string');
}

/**
 * The SLSA build provenance v1 predicate for this run, from the claims of its ID token (the identity Fulcio
 * certifies, so the predicate and the certificate tell the same story). A GitHub Actions token gives exactly the
 * predicate actions/attest-build-provenance writes (the tests compare it with @actions/attest's builder); other
 * CI systems get chartship's CI build type from the token's issuer and subject and the run's own context.
 */
export function provenancePredicate(claims: Record<string, unknown>, context: BuildContext): Record<string, unknown> {
  const server = context.serverUrl.replace(/\/+$/, '');
  if (isGitHubActionsToken(claims)) {
    const c = claims as Record<string, string>;
    const [workflowPath] = c['workflow_ref']!.replace(`${c['repository']}/`, '').split('@');
    return {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: { workflow: { ref: c['ref'], repository: `${server}/${c['repository']}`, path: workflowPath } },
        internalParameters: {
          github: { event_name: c['event_name'], repository_id: c['repository_id'], repository_owner_id: c['repository_owner_id'], runner_environment: c['runner_environment'] },
        },
        resolvedDependencies: [{ uri: `git+${server}/${c['repository']}@${c['ref']}`, digest: { gitCommit: c['sha'] } }],
      },
      runDetails: {
        builder: { id: `${server}/${c['job_workflow_ref']}` },
        metadata: { invocationId: `${server}/${c['repository']}/actions/runs/${c['run_id']}/attempts/${c['run_attempt']}` },
      },
    };
  }
  const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : undefined;
  if (!issuer) throw new ChartshipError('the ID token names no issuer (`iss`)', { code: 'OIDC_TOKEN_INVALID' });
  const source = { repository: context.repositoryUrl, ref: context.ref, commit: context.commit };
  return {
    buildDefinition: {
      buildType: CHARTSHIP_CI_BUILD_TYPE,
      externalParameters: { source: withoutUndefined(source) },
      internalParameters: { oidc: withoutUndefined({ issuer, subject: typeof claims['sub'] === 'string' ? claims['sub'] : undefined }) },
      resolvedDependencies:
        source.repository && source.commit ? [{ uri: `git+${source.repository}${source.ref ? `@${source.ref}` : ''}`, digest: { gitCommit: source.commit } }] : [],
    },
    runDetails: { builder: { id: issuer }, ...(context.runUrl ? { metadata: { invocationId: context.runUrl } } : {}) },
  };
}

/**
 * The certificate identity Fulcio gives this token's holder, where the rule is known (Fulcio's
 * `subject-alternative-name-template` per CI): a GitHub Actions workflow is named by the reusable workflow that ran
 * (`job_workflow_ref`) as a URL on its server, a GitLab CI pipeline by its configuration file at its ref
 * (`https://` + `ci_config_ref_uri`, e.g. `https://gitlab.com/acme/charts//.gitlab-ci.yml@refs/heads/main`). Other
 * tokens: undefined, and only their issuer is checked.
 */
export function expectedIdentity(claims: Record<string, unknown>, serverUrl: string): string | undefined {
  if (isGitHubActionsToken(claims)) return `${serverUrl.replace(/\/+$/, '')}/${String(claims['job_workflow_ref'])}`;
  const gitlab = claims['ci_config_ref_uri'];
  return typeof gitlab === 'string' && gitlab !== '' ? `https://${gitlab}` : undefined;
}

function withoutUndefined(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
