import type { Parsed } from '../args.js';
import { REGISTRY_ACCESS_FLAGS } from '../registry-flags.js';

// plan's flags and help: what `plan --help` and the command line read, apart from the planning (plan-run.ts).

export const HELP = `usage: chartship plan [options]

Shows which charts changed and the versions they would be released as. As for publish, a setting also comes from
CHARTSHIP_<NAME> (a flag wins; --registry is a flag only; --no-FLAG sets one false), and GitLab's and Jenkins'
variables give the range.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --release-tag-template T
                       release tag naming (default {name}-{version}; --tag-template is the same)
  --registry oci://…   target registry or oci-layout:DIR (repeatable): charts whose next version it already holds
                       with the same content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --username USER --password-stdin
                       login for the first registry's host (or CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD; without
                       one, the docker/helm credential files)
  --registry-auth-file FILE
                       logins per registry host, one HOST=USERNAME:PASSWORD per line (or CHARTSHIP_REGISTRY_AUTH)
  --registry-tls HOST=OPTION,…
                       TLS per registry host (repeatable), as publish takes it
  --ca-file FILE, --insecure-skip-tls-verify
  --prerelease ID      prerelease channel, e.g. rc → 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major
                       below 1.0.0 a breaking change bumps the minor (the default; --no-… turns it off)
  --bump-patch-for-minor-pre-major
                       below 1.0.0 a feature bumps the patch
  --config FILE        configuration file (default: .chartship.yaml at the repository's root); its versioning:
                       section applies
  --write              write the new versions into Chart.yaml
  --shards N           split the charts to publish into dependency waves of at most N shards each (JSON: shards,
                       one matrix per wave; run each with publish --wave W --shard I/N)
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`;

export const OPTIONS = {
  charts: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'skip-deprecated': { type: 'boolean' },
  base: { type: 'string' },
  head: { type: 'string' },
  'since-tags': { type: 'boolean' },
  'tag-template': { type: 'string' },
  'release-tag-template': { type: 'string' },
  'bump-minor-pre-major': { type: 'boolean' },
  'bump-patch-for-minor-pre-major': { type: 'boolean' },
  config: { type: 'string' },
  registry: { type: 'string', multiple: true },
  overwrite: { type: 'boolean' },
  ...REGISTRY_ACCESS_FLAGS,
  prerelease: { type: 'string' },
  'version-bump': { type: 'string' },
  'other-types': { type: 'string' },
  'app-version': { type: 'string' },
  write: { type: 'boolean' },
  shards: { type: 'string' },
  json: { type: 'boolean' },
  cwd: { type: 'string' },
} as const;

export type PlanFlags = Parsed<typeof OPTIONS>['values'];
