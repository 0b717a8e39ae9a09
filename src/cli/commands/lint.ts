import { isAbsolute, relative, resolve } from 'node:path';
import { CONFIG_FILE } from '../../config/index.js';
import { loadConfig } from '../../config/load.js';
import { lint } from '../../pipeline/lint.js';
import { silentLog } from '../../pipeline/log.js';
import { preparePolicy } from '../../pipeline/policy.js';
import { renderPolicyText } from '../../report/policy.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';

const HELP = `usage: chartship lint [CHART…] [--exclude NAME|GLOB] [--policy FILE] [--json]

Checks charts against the chart policy (the rules and their settings: README, "Chart policy") and prints every
finding as file:line:col. Exits 1 when a chart has an error finding or cannot be read, 0 otherwise. The rules that
render charts run \`helm template\` with the helm on PATH; without one they are reported as not checked.

  CHART                     chart directories or globs, relative to --cwd (default: charts/*)
  --exclude NAME|GLOB       leave charts out by name or directory glob (repeatable), as plan and publish do
  --policy FILE             the configuration to read the policy from (default: .chartship.yaml in --cwd)
  --policy-allowed-registries HOST
                            image registries charts may pull from (repeatable; replaces allowed-registries)
  --registry TARGET         oci://HOST/NS to compare each chart's version with (repeatable): a published version
                            with other content is a chart-metadata finding. Credentials: docker/helm credential
                            files, or CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --cwd DIR                 where the charts and .chartship.yaml are (default: .)
  --json                    print the findings as JSON
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'lint',
      help: HELP,
      positionals: { min: 0, max: Infinity, what: 'chart directories or globs' },
      options: {
        exclude: { type: 'string', multiple: true },
        policy: { type: 'string' },
        'policy-allowed-registries': { type: 'string', multiple: true },
        registry: { type: 'string', multiple: true },
        'plain-http': { type: 'boolean' },
        'ca-file': { type: 'string' },
        'insecure-skip-tls-verify': { type: 'boolean' },
        cwd: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const cwd = resolve(io.cwd, values.cwd ?? '.');
  const config = values.policy ? await loadConfig(resolve(io.cwd, values.policy), values.policy, { required: true }) : await loadConfig(resolve(cwd, CONFIG_FILE), CONFIG_FILE);
  const policy = preparePolicy({ mode: 'enforce', allowedRegistries: values['policy-allowed-registries'] }, config, io.env);
  // Globs are relative to --cwd; a path the shell completed (`./charts/web/`, an absolute one) is made so too.
  const charts = parsed.positionals.map((arg) => {
    const path = isAbsolute(arg) ? relative(cwd, arg) : arg;
    return path.replace(/^\.\//, '').replace(/\/+$/, '');
  });
  const username = io.env['CHARTSHIP_USERNAME'];
  const password = io.env['CHARTSHIP_PASSWORD'];
  const outcome = await lint(
    {
      cwd,
      charts,
      exclude: values.exclude ?? [],
      policy: policy!,
      targets: values.registry ?? [],
      target: { username, password, plainHttp: values['plain-http'], caFile: values['ca-file'], insecureSkipTlsVerify: values['insecure-skip-tls-verify'] },
    },
    // Findings go to stdout below, once; nothing else is worth a log line.
    silentLog,
  );
  const errors = outcome.report.charts.some((c) => c.findings.some((f) => f.severity === 'error'));
  if (values.json) {
    io.stdout(`${JSON.stringify({ ...outcome.report, invalid: outcome.invalid.map((e) => e.describe()) }, null, 2)}\n`);
  } else {
    for (const error of outcome.invalid) io.stdout(`${error.describe()}\n`);
    io.stdout(renderPolicyText(outcome.report));
  }
  return errors || outcome.invalid.length > 0 ? 1 : 0;
}
