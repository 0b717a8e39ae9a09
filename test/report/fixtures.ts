import type { ChangelogEntry, ChartResult, Plan } from '../../src/model/plan.js';
import type { ReportContext } from '../../src/report/context.js';

export const SHA_A = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const SHA_B = 'fedcba9876543210fedcba9876543210fedcba98';
export const SHA_C = '0123456789abcdef0123456789abcdef01234567';
export const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
export const PROV_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const ctx: ReportContext = {
  serverUrl: 'https://github.example.com/',
  repository: 'acme/charts',
  runUrl: 'https://github.example.com/acme/charts/actions/runs/42',
};

export function entry(over: Partial<ChangelogEntry> & Pick<ChangelogEntry, 'type' | 'subject'>): ChangelogEntry {
  const sha = over.sha ?? SHA_A;
  return { breaking: false, sha, shortSha: sha.slice(0, 7), ...over };
}

export const changelog: ChangelogEntry[] = [
  entry({ type: 'fix', subject: 'handle `a|b` values <script>alert(1)</script>', sha: SHA_B }),
  entry({ type: 'feat', scope: 'api', subject: 'add ingress class (#12)', pr: 12, sha: SHA_A }),
  entry({ type: 'feat', subject: 'drop v1 values', breaking: true, sha: SHA_C }),
  entry({ type: 'perf', subject: 'cache lookups', sha: SHA_C }),
  entry({ type: 'chore', subject: 'bump deps', sha: SHA_A }),
];

export function plan(): Plan {
  return {
    root: '/repo',
    head: SHA_A,
    patterns: ['charts/*'],
    base: SHA_C,
    charts: [
      {
        name: 'lib',
        path: 'charts/lib',
        chartYaml: 'charts/lib/Chart.yaml',
        currentVersion: '0.3.0',
        nextVersion: '0.3.0',
        bump: 'none',
        action: 'skipped',
        reasons: [],
        dependents: ['api'],
        dependencies: [],
        changelog: [],
      },
      {
        name: 'api',
        path: 'charts/api',
        chartYaml: 'charts/api/Chart.yaml',
        currentVersion: '1.2.3',
        previousVersion: '1.2.3',
        nextVersion: '2.0.0',
        bump: 'major',
        action: 'release',
        reasons: [
          { kind: 'commit', message: 'feat(api): add ingress class (#12)', sha: SHA_A },
          { kind: 'commit', message: 'fix: a|b <b>bold</b>', sha: SHA_B },
        ],
        dependents: ['web'],
        dependencies: ['lib'],
        changelog,
      },
      {
        name: 'web',
        path: 'charts/web',
        chartYaml: 'charts/web/Chart.yaml',
        currentVersion: '0.9.0',
        nextVersion: '0.9.1',
        bump: 'patch',
        action: 'release',
        reasons: [{ kind: 'dependency', message: 'depends on a released chart', chart: 'api' }],
        dependents: [],
        dependencies: ['api'],
        changelog: [],
      },
      {
        name: 'db',
        path: 'charts/db',
        chartYaml: 'charts/db/Chart.yaml',
        currentVersion: '4.0.0',
        nextVersion: '4.0.0',
        bump: 'none',
        action: 'unchanged',
        reasons: [],
        dependents: [],
        dependencies: [],
        changelog: [],
      },
    ],
    deleted: [{ name: 'old', path: 'charts/old' }],
    invalid: [{ path: 'charts/broken', chartYaml: 'charts/broken/Chart.yaml', message: 'is required', field: 'version', line: 3, column: 1 }],
  };
}

export function results(): ChartResult[] {
  return [
    {
      name: 'api',
      version: '2.0.0+build.1',
      previousVersion: '1.2.3',
      path: 'charts/api',
      status: 'pushed',
      signed: true,
      registries: [
        { registry: 'oci://ghcr.io/acme/charts', ref: 'ghcr.io/acme/charts/api:2.0.0_build.1', digest: DIGEST, provDigest: PROV_DIGEST, status: 'pushed' },
        { registry: 'oci://localhost:5000/mirror', ref: 'localhost:5000/mirror/api:2.0.0_build.1', digest: DIGEST, status: 'pushed' },
      ],
      changelog,
      release: { tag: 'api-2.0.0+build.1', url: 'https://github.example.com/acme/charts/releases/tag/api-2.0.0%2Bbuild.1' },
    },
    {
      name: 'web|x',
      version: '0.9.1',
      path: 'charts/web',
      status: 'failed',
      error: 'push failed: DENIED <requested access to the resource is denied>',
      signed: false,
      registries: [{ registry: 'oci://ghcr.io/acme/charts', ref: '', digest: '', status: 'failed', error: 'DENIED | no\nwrite' }],
      changelog: [],
    },
    { name: 'lib', version: '0.3.0', path: 'charts/lib', status: 'skipped', signed: false, registries: [], changelog: [] },
  ];
}
